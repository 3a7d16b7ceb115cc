"""A round's results and one unit's results as PDFs on the body's letterhead (issue 16 item 6),
built on ``web/letter_pdf.py`` like every official document. Official documents stay Indonesian.

* The round report (A4 landscape: one column per category): the round, its questionnaire version
  and windows; the ranking with the bands; the spread over the bands; every unit below the top
  band with the questions that lost points; the comparison with last year's round.
* The unit report (A4 portrait): the unit's categories, then every question with its answer, the
  points earned, possible and lost; the unit's total and band and last year's.

Scores are printed with two decimals and a decimal comma (89,90), as Indonesian documents write them.
"""

from __future__ import annotations

from flask_babel import gettext as _
from fpdf.fonts import FontFace

from ..organisation.profile_selectors import body_profile
from ..web.formatting import long_date
from ..web.letter_pdf import LetterPDF
from ..workcalendar.selectors import body_today
from .labels import PHASE_LABELS
from .results_selectors import RankedRow, Ranking, UnitResult

SHADE = (235, 235, 235)
RULE = (177, 180, 182)


def score_text(value: float | None) -> str:
    """A score as Indonesian documents write it (89,90); a dash when there is none."""
    return "—" if value is None else f"{value:.2f}".replace(".", ",")


def points_text(value: float) -> str:
    """Points as the questionnaire gives them: 698, 12,5."""
    value = round(value, 2)
    return str(int(value)) if float(value).is_integer() else f"{value:g}".replace(".", ",")


def change_text(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) < 0.005:
        return "0,00"
    return ("+" if value > 0 else "−") + score_text(abs(value))


def _previous_text(row: RankedRow, has_previous: bool) -> tuple[str, str, str]:
    """(last year's total, its band, the change) of a ranked row."""
    if not has_previous:
        return "—", "—", "—"
    if row.new:
        return _("Baru"), "—", "—"
    previous = row.previous
    if previous is None or previous.total is None:
        return _("Tidak dinilai"), "—", "—"
    return score_text(previous.total), previous.band or "—", change_text(row.change)


class _ResultsPDF(LetterPDF):
    def heading(self, text: str) -> None:
        if self.will_page_break(40):  # a heading never stands alone at the foot of a page
            self.add_page()
        self.ln(3)
        self.para(text, size=11.5, bold=True, height=6)
        self.ln(1)

    def facts(self, rows: list[tuple[str, str]]) -> None:
        label_width = 48
        for label, value in rows:
            self.style(9.5, bold=True)
            self.set_x(self.l_margin)
            self.cell(label_width, 5, self.clean(label))
            self.style(9.5)
            self.multi_cell(self.epw - label_width, 5, self.clean(value), new_x="LMARGIN", new_y="NEXT")

    def grid(self, headers: list[str], rows: list[list[str]], widths: list[float], align: list[str],
             size: float = 8.5, width: float | None = None) -> None:
        if self.will_page_break(size * 0.5 * 4 + 6):  # the heading row with at least one row under it
            self.add_page()
        self.style(size)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        with self.table(col_widths=widths, width=width or self.epw, align="LEFT", text_align=align, line_height=size * 0.5,
                        padding=(1.0, 1.2), headings_style=FontFace(emphasis="BOLD", fill_color=SHADE),
                        repeat_headings=1, v_align="TOP") as table:
            table.row([self.clean(h) for h in headers])
            for row in rows:
                table.row([self.clean(value) for value in row])
        self.set_draw_color(0, 0, 0)
        self.ln(2)


def _start(pdf: _ResultsPDF, *, title: str, subject: str, heading: str, subheading: str) -> None:
    body = body_profile()
    today = body_today()
    pdf.alias_nb_pages()
    pdf.describe(number=title, issued_on=today, subject=subject, author=body.name, running_head=title)
    pdf.add_page()
    pdf.letterhead(body_name=body.name, body_address=body.address or "",
                   office=_("Pejabat Pengelola Informasi dan Dokumentasi (PPID)"))
    pdf.para(heading, size=12.5, bold=True, align="C", height=6)
    pdf.para(subheading, align="C")
    pdf.ln(3)


def _sign(pdf: _ResultsPDF) -> None:
    body = body_profile()
    pdf.para(_("Dicetak %(date)s.", date=long_date(body_today())), size=9)
    pdf.sign(body_name=body.name, office=_("PPID Utama"), signer=body.utama.name or "(……………………………)",
             position=body.utama.position, nip=body.utama.nip)


def _windows(evaluation) -> list[tuple[str, str]]:
    def span(start, end) -> str:
        return _("%(start)s – %(end)s", start=long_date(start), end=long_date(end))

    return [(_("Pengisian"), span(evaluation.opens_on, evaluation.closes_on)),
            (_("Verifikasi"), span(evaluation.verify_from, evaluation.verify_until)),
            (_("Masa sanggah"), span(evaluation.objection_from, evaluation.objection_until))]


def round_report_pdf(ranking: Ranking, phase: str) -> bytes:
    """The round report: identity, ranking, bands, lost questions, comparison with last year."""
    evaluation, spec = ranking.round, ranking.spec
    title = _("Laporan hasil monev %(title)s", title=evaluation.title)
    pdf = _ResultsPDF(orientation="L")
    pdf.set_margins(15, 14, 15)
    _start(pdf, title=title, subject=title, heading=_("LAPORAN HASIL MONITORING DAN EVALUASI PPID PEMBANTU"),
           subheading=f"{evaluation.title} · {_('Tahun %(year)d', year=evaluation.year)}")
    published = evaluation.results_published_at
    pdf.facts([(_("Tahun"), str(evaluation.year)),
               (_("Kuesioner"), _("%(title)s, versi %(n)d", title=spec.title, n=evaluation.version.number)),
               *_windows(evaluation),
               (_("Tahap"), str(PHASE_LABELS.get(phase, phase))),
               (_("Unit peserta"), str(len(ranking.rows))),
               (_("Publikasi hasil"), _("Diterbitkan %(date)s", date=long_date(published)) if published
                else _("Belum diterbitkan"))])

    has_previous = ranking.previous_round is not None
    pdf.heading(_("1. Peringkat unit"))
    pdf.para(_("Nilai kategori 0–100; nilai akhir dibobot sesuai kuesioner. Predikat: %(bands)s.",
               bands="; ".join(f"{b.label} ≥ {score_text(b.low)}" for b in
                               sorted(spec.bands, key=lambda b: b.low, reverse=True))), size=8.5)
    pdf.ln(1)
    categories = list(spec.categories)
    headers = [_("No."), _("Unit"), *[f"{c.title} ({c.weight:g})" for c in categories], _("Nilai akhir"),
               _("Predikat"), _("Tahun lalu"), _("Perubahan")]
    fixed = 10 + 22 + 30 + 20 + 22
    pdf.style(8.5, bold=True)  # a category's column is never narrower than the longest word of its title
    category_widths = [max(16.0, max(pdf.get_string_width(word) for word in header.split()) + 3.5)
                       for header in headers[2:2 + len(categories)]]
    widths = [10, max(pdf.epw - fixed - sum(category_widths), 40), *category_widths, 22, 30, 20, 22]
    rows = []
    for row in ranking.rows:
        scores = ({c.key: c.score for c in row.result.categories} if row.result else {})
        before, _band, change = _previous_text(row, has_previous)
        status = "" if row.participant.submitted else f" ({_('belum dikirim')})"
        rows.append([str(row.rank) if row.rank else "—", row.participant.unit.name + status,
                     *[score_text(scores.get(c.key)) for c in categories], score_text(row.total), row.band or "—",
                     before, change])
    pdf.grid(headers, rows, widths, ["RIGHT", "LEFT", *["RIGHT"] * len(categories), "RIGHT", "LEFT", "RIGHT", "RIGHT"])

    pdf.heading(_("2. Sebaran predikat"))
    spread = [[label, str(count)] for label, count in ranking.distribution]
    if ranking.unscored:
        spread.append([_("Belum ada nilai"), str(ranking.unscored)])
    pdf.grid([_("Predikat"), _("Jumlah unit")], spread, [80, 30], ["LEFT", "RIGHT"], size=9, width=110)

    pdf.heading(_("3. Unit di bawah predikat %(band)s dan pertanyaan yang kehilangan nilai",
                  band=ranking.top_band or ""))
    below = ranking.below_top
    if not below:
        pdf.para(_("Tidak ada unit bernilai di bawah predikat %(band)s.", band=ranking.top_band or ""), size=9.5)
    for row in below:
        pdf.para(f"{row.participant.unit.name}: {score_text(row.total)} ({row.band})", size=10, bold=True)
        pdf.grid([_("Kategori"), _("Pertanyaan"), _("Nilai"), _("Hilang")],
                 [[q.category, q.text, f"{points_text(q.points)} / {points_text(q.possible)}",
                   f"{points_text(q.lost)} / {points_text(q.possible)}"] for q in row.lost],
                 [55, pdf.epw - 55 - 60, 30, 30], ["LEFT", "LEFT", "RIGHT", "RIGHT"])

    pdf.heading(_("4. Perbandingan dengan tahun lalu"))
    before_round = ranking.previous_round
    if before_round is None:
        pdf.para(_("Tidak ada putaran tahun %(year)d dengan kuesioner yang sama; belum ada pembanding.",
                   year=evaluation.year - 1), size=9.5)
    else:
        pdf.para(_("Dibandingkan dengan %(title)s (tahun %(year)d, kuesioner versi %(n)d).", title=before_round.title,
                   year=before_round.year, n=before_round.version.number), size=9.5)
        if before_round.version_id != evaluation.version_id:
            pdf.para(_("Versi kuesioner berbeda: perbandingan nilai perlu dibaca dengan hati-hati."), size=9)
        pdf.ln(1)
        compare = []
        for row in ranking.rows:
            previous, band, change = _previous_text(row, True)
            compare.append([row.participant.unit.name, previous, band, score_text(row.total), row.band or "—", change])
        pdf.grid([_("Unit"), _("Nilai %(year)d", year=before_round.year), _("Predikat %(year)d", year=before_round.year),
                  _("Nilai %(year)d", year=evaluation.year), _("Predikat %(year)d", year=evaluation.year),
                  _("Perubahan")], compare, [pdf.epw - 154, 25, 40, 25, 40, 24],
                 ["LEFT", "RIGHT", "LEFT", "RIGHT", "LEFT", "RIGHT"])
    _sign(pdf)
    return bytes(pdf.output())


def unit_report_pdf(found: UnitResult) -> bytes:
    """One unit's report: categories, every question with its points, the lost points."""
    participant, spec = found.participant, found.spec
    evaluation = participant.round
    title = _("Hasil monev %(unit)s · %(title)s", unit=participant.unit.name, title=evaluation.title)
    pdf = _ResultsPDF()
    _start(pdf, title=title, subject=title, heading=_("HASIL MONITORING DAN EVALUASI PPID PEMBANTU"),
           subheading=f"{participant.unit.name} · {evaluation.title}")
    previous = "—"
    if found.previous_round is not None:
        previous = (_("Tidak ikut") if found.previous is None else _("Tidak dinilai") if found.previous.total is None
                    else f"{score_text(found.previous.total)} ({found.previous.band}), "
                         f"{_('perubahan')} {change_text(found.change)}")
    pdf.facts([(_("Unit"), participant.unit.name), (_("Tahun"), str(evaluation.year)),
               (_("Kuesioner"), _("%(title)s, versi %(n)d", title=spec.title, n=evaluation.version.number)),
               *_windows(evaluation),
               (_("Dikirim"), long_date(participant.submitted_at) if participant.submitted_at else _("Belum dikirim")),
               (_("Nilai akhir"), score_text(found.total)), (_("Predikat"), found.band or "—"),
               (_("Tahun lalu"), previous)])
    if found.result is None:
        pdf.ln(2)
        pdf.para(_("Unit ini belum mengirim kuesionernya; belum ada nilai."), size=9.5)
    pdf.heading(_("1. Nilai per kategori"))
    pdf.grid([_("Kategori"), _("Bobot"), _("Poin"), _("Nilai (0–100)")],
             [[c.title, f"{c.weight:g}", f"{points_text(c.points)} / {points_text(c.possible)}", score_text(c.score)]
              for c in found.categories], [pdf.epw - 90, 20, 40, 30], ["LEFT", "RIGHT", "RIGHT", "RIGHT"], size=9)
    pdf.heading(_("2. Nilai per pertanyaan"))
    for category in found.categories:
        pdf.para(category.title, size=10, bold=True)
        rows = []
        for line in category.lines:
            answer = line.answer or "—"
            if line.note:
                answer = f"{answer}\n{_('Keterangan')}: {line.note[:600]}"
            rows.append([line.question.text, answer,
                         ("—" if line.possible else _("tidak dinilai")) if line.points is None else
                         f"{points_text(line.points)} / {points_text(line.possible)}",
                         "—" if line.points is None else points_text(line.lost)])
        pdf.grid([_("Pertanyaan"), _("Jawaban"), _("Poin"), _("Hilang")], rows, [62, pdf.epw - 62 - 50, 30, 20],
                 ["LEFT", "LEFT", "RIGHT", "RIGHT"])
    lost = found.lost
    pdf.heading(_("3. Pertanyaan yang kehilangan nilai"))
    if not lost:
        pdf.para(_("Tidak ada.") if found.result else _("Belum ada nilai."), size=9.5)
    else:
        pdf.grid([_("Pertanyaan"), _("Hilang")], [[line.question.text, f"{points_text(line.lost)} / "
                                                   f"{points_text(line.possible)}"] for line in lost],
                 [pdf.epw - 34, 34], ["LEFT", "RIGHT"])
    _sign(pdf)
    return bytes(pdf.output())
