"""Each domain owns one blueprint, registered by its own ``init_app``; its routes are written in
its own folder; the applicant's pages are the requests blueprint's; panels and the desk's
navigation come from one registry, in the order the pages have always shown them."""

from __future__ import annotations

from ppid_desk.web import setup
from ppid_desk.web.registry import (
    APPLICANT_PANELS,
    DESK_NAV,
    OBJECTION_PANELS,
    REQUEST_PANELS,
    Panel,
    Registry,
)

# Domains whose pages still hang on the desk's and the requests' blueprints until their own
# blueprints arrive (issue 12, item 5): remove a name here once its blueprint is in.
PENDING: set[str] = set()
# The applicant's pages are all on the requests blueprint; those of an objection (and of the
# satisfaction survey) are written beside the services they call.
WRITTEN_ELSEWHERE = {"requests": {"objections", "survey"}}
FOLDER_OF_BLUEPRINT = {"pages": "web", "ppid": None}  # the CLI group has no routes


def _domain_of(module: str) -> str:
    return module.split(".")[1]


def test_every_domain_registers_a_blueprint_of_its_own_name(app):
    for domain in setup.domains():
        name = domain.__name__.rsplit(".", 1)[1]
        if name in PENDING:
            continue
        assert name in app.blueprints, name
        assert app.blueprints[name].import_name.startswith(domain.__name__), name


def test_every_route_is_written_in_the_folder_of_its_blueprint(app):
    misplaced = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        blueprint = rule.endpoint.split(".", 1)[0]
        module = app.view_functions[rule.endpoint].__module__
        folder = FOLDER_OF_BLUEPRINT.get(blueprint, blueprint)
        allowed = {folder} | WRITTEN_ELSEWHERE.get(blueprint, set()) | PENDING
        if _domain_of(module) not in allowed:
            misplaced.append((rule.endpoint, module))
    assert misplaced == []


def test_the_applicants_pages_are_on_the_requests_blueprint(app):
    applicant_paths = ("/permohonan/", "/permohonan-saya", "/lacak")
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(applicant_paths):
            continue
        module = app.view_functions[rule.endpoint].__module__
        found.append(rule.endpoint)
        assert rule.endpoint.startswith("requests."), rule.rule
        assert _domain_of(module) in {"requests"} | WRITTEN_ELSEWHERE["requests"] | PENDING, (rule.rule, module)
    assert {"requests.new_request", "requests.detail", "requests.receipt", "requests.my_requests",
            "requests.track_lookup", "requests.withdraw_request", "requests.complete_request",
            "requests.notice_pdf", "requests.download_information"} <= set(found)


def test_desk_pages_of_every_domain_keep_the_meja_prefix(app):
    officer_blueprints = {"desk", "routing", "notices", "workcalendar"}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".", 1)[0] in officer_blueprints:
            assert rule.rule.startswith("/meja/"), rule.endpoint


def test_a_registry_keeps_its_order_and_the_first_registration_of_a_key():
    registry: Registry[Panel] = Registry(key=lambda panel: panel.template)

    def first(*_):
        return {"from": "first"}

    registry.add(Panel(20, "b.html", first))
    registry.add(Panel(10, "a.html", first))
    registry.add(Panel(5, "b.html", lambda *_: {"from": "second"}))
    assert [(panel.order, panel.template) for panel in registry] == [(10, "a.html"), (20, "b.html")]
    assert next(iter(registry)).context is first and len(registry) == 2


def test_panels_and_navigation_keep_the_order_the_pages_show(app):
    assert [(panel.template, panel.kind, panel.key) for panel in REQUEST_PANELS] == [
        ("desk/_assignment_panel.html", "record", None), ("consultations/_request_panel.html", "record", None),
        ("desk/_intake_panel.html", "action", "intake"), ("desk/_letters_panel.html", "record", None),
        ("desk/_official_letters_panel.html", "record", None), ("desk/_documents_panel.html", "record", None),
        ("routing/_panel.html", "record", None), ("routing/_route_panel.html", "action", "routing"),
        ("notices/_panel.html", "action", "extension"), ("notices/_panel.html", "action", "notice"),
        ("notices/_delivery_panel.html", "action", "delivery"), ("desk/_withdrawal_panel.html", "action", "withdrawal"),
        ("dip/_answer_panel.html", "action", "publish_answer"), ("objections/_desk_request_panel.html", "action", "objection"),
        ("objections/_release_panel.html", "action", "release"), ("desk/_notes_panel.html", "record", None)]
    assert [panel.template for panel in APPLICANT_PANELS] == [
        "requests/_withdrawal_panel.html", "requests/_complete_panel.html", "notices/_applicant_panel.html",
        "objections/_applicant_panel.html", "objections/_applicant_response.html",
        "objections/_dispute_applicant_panel.html", "survey/_applicant_panel.html", "requests/_tracking_panel.html"]
    assert [panel.template for panel in OBJECTION_PANELS] == [
        "objections/_documents_panel.html", "objections/_withdrawal_panel.html", "objections/_account_panel.html",
        "objections/_response_panel.html", "objections/_dispute_panel.html", "objections/_reaction_panel.html"]
    nav = [item.endpoint for item in DESK_NAV]
    assert nav.index("desk.queue") < nav.index("routing.unit_tasks") < nav.index("desk.register_request")
    assert nav[-4:] == ["workcalendar.calendar_admin", "organisation.unit_index", "accounts.officer_list",
                        "organisation.admin_index"]
    assert all(endpoint in app.view_functions for endpoint in nav)
