"""Human labels of the fee tariff (translated at render time)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .tariff_models import TariffKind

KIND_LABELS = {
    TariffKind.COPY: _l("Penggandaan (salinan per lembar)"),
    TariffKind.MEDIUM: _l("Media penyimpanan"),
    TariffKind.POSTAGE: _l("Pengiriman (pos atau kurir)"),
}
# One unit of each kind: what a quantity counts. Letters print it (always Indonesian).
UNIT_LABELS = {
    TariffKind.COPY: _l("lembar"),
    TariffKind.MEDIUM: _l("buah"),
    TariffKind.POSTAGE: _l("kiriman"),
}
NAME_EXAMPLES = {
    TariffKind.COPY: _l("A4 hitam-putih, A4 berwarna, F4/folio, A3"),
    TariffKind.MEDIUM: _l("CD/DVD, flashdisk 8 GB"),
    TariffKind.POSTAGE: _l("dalam kota, dalam provinsi, luar provinsi"),
}
EVENT_LABELS = {
    "tariff_line_created": _l("Tarif ditambahkan"),
    "tariff_line_updated": _l("Tarif diubah"),
    "tariff_line_deactivated": _l("Tarif dinonaktifkan"),
    "tariff_line_reactivated": _l("Tarif diaktifkan kembali"),
}
FIELD_LABELS = {
    "kind": _l("Jenis"), "name": _l("Nama"), "price": _l("Harga"), "decree_number": _l("Nomor SK"),
    "decree_date": _l("Tanggal SK"), "effective_from": _l("Berlaku mulai"), "active": _l("Aktif"),
}
