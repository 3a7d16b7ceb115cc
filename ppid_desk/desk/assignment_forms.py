"""The form that assigns a request to a named officer (penugasan)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from ..routing.forms import VersionedForm
from ..web.forms import parse_int

NOBODY = ""


class AssignForm(VersionedForm):
    """One select of the officers the request may be assigned to; "nobody" unassigns it.

    The choice is checked by the service (an officer may have been deactivated, or their unit's
    task cancelled, since the page was loaded), so the field itself accepts any value."""

    assignee = SelectField(_l("Ditugaskan kepada"), id="assign-assignee", validate_choice=False)

    def set_officers(self, officers) -> AssignForm:
        self.assignee.choices = [SelectChoice(NOBODY, _l("— Belum ditugaskan —"))] + [
            SelectChoice(str(officer.id), officer.name + (f" ({officer.unit.code})" if officer.unit_id else ""))
            for officer in officers]
        return self

    @property
    def assignee_id(self) -> int | None:
        """The chosen officer's id; None for nobody; -1 for anything that is not an id."""
        raw = (self.assignee.data or "").strip()
        if raw == NOBODY:
            return None
        value = parse_int(raw)
        return -1 if value is None else value
