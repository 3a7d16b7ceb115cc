"""Numbers typed into URLs and forms are range-checked: never a 500 (issue "Close what an attacker
found", item 11).

Every ``<int:…>`` segment of the URL map (discovered, so a new route is covered the day it is
added) is requested with numbers no row can have: beyond PostgreSQL's ``integer`` and ``bigint``,
zero, "²" (``str.isdigit`` says yes, ``int`` says no) and Arabic-Indic digits. Every GET page is
requested with such page numbers and ids in its query string, and every POST route with such
version numbers in its form. SQLite and PostgreSQL (``PPID_TEST_DATABASE_URL``) both run it:
PostgreSQL raises on integers beyond its column types where SQLite finds nothing.
"""

from __future__ import annotations

import re

import pytest

from ppid_desk.web.forms import MAX_ID, MAX_PAGE, page_arg, parse_int
from tests.access_matrix import ANON, GET_ACCESS, POST_ACCESS, build_world, stub_pdfs, url_of

OUT_OF_RANGE = ["99999999999999999999999", "9223372036854775808", "2147483648", "1000000000", "0", "00",
                "007", "²", "١٢"]
BAD_NUMBERS = ["99999999999999999999999", "2147483648", "²", "-1", "0", "1e3", "١٢"]
NUMBER_ARGS = ("halaman", "tahun", "unit", "periode", "bulan", "nomor")
INT_SEGMENT = re.compile(r"<int(?:\([^)]*\))?:(\w+)>")
ARGUMENT = re.compile(r"<(?:[^>:]+:)?(\w+)>")


@pytest.fixture
def world(app, clock, make_unit, officer_client, file_request, monkeypatch):
    """The authorisation matrix's world: real objects for every argument and a client per role."""
    stub_pdfs(monkeypatch)
    return build_world(app, clock, make_unit, officer_client, file_request)


def _int_rules(app):
    return [rule for rule in app.url_map.iter_rules() if INT_SEGMENT.search(rule.rule)]


def _client_for(world, endpoint: str, method: str):
    """A client that passes the route's access check (the lowest role name that may use it)."""
    allowed = (GET_ACCESS if method == "GET" else POST_ACCESS)[endpoint]
    role = ANON if ANON in allowed else sorted(allowed)[0]
    return world.clients[role]


def _url_with(app, rule, world, method: str, name: str, value: str) -> str:
    """The rule's URL for the world's objects, with segment ``name`` replaced by ``value``."""
    _endpoint, values = app.url_map.bind("localhost").match(url_of(app, rule, world.ids), method=method)
    return ARGUMENT.sub(lambda m: value if m[1] == name else str(values[m[1]]), rule.rule)


def test_parse_int_takes_ascii_digits_within_the_range():
    assert parse_int("42") == 42 and parse_int(" 7 ") == 7
    assert parse_int(str(MAX_ID)) == MAX_ID and parse_int(str(MAX_ID + 1)) is None
    for raw in ("", "²", "١٢", "-1", "0", "1e3", "4 2", "99999999999999999999999", None, 5):
        assert parse_int(raw) is None, raw
    assert parse_int("0", low=0) == 0


def test_page_arg_is_one_when_absent_and_none_when_not_a_page():
    assert page_arg({}) == 1 and page_arg({"halaman": " "}) == 1 and page_arg({"halaman": "3"}) == 3
    for raw in ("²", "0", "-2", str(MAX_PAGE + 1), "99999999999999999999999"):
        assert page_arg({"halaman": raw}) is None, raw


def test_the_url_map_has_int_segments_to_check(app):
    assert len(_int_rules(app)) >= 40  # the walk below is not empty by mistake


def test_every_int_segment_answers_404_for_a_number_no_row_can_have(app, world):
    wrong, requests = [], 0
    for rule in _int_rules(app):
        for method in sorted(rule.methods & {"GET", "POST"}):
            client = _client_for(world, rule.endpoint, method)
            for name in INT_SEGMENT.findall(rule.rule):
                for value in OUT_OF_RANGE:
                    url = _url_with(app, rule, world, method, name, value)
                    response = client.open(url, method=method)
                    requests += 1
                    if response.status_code not in (400, 404):
                        wrong.append((method, url, response.status_code))
                # The largest id the database can hold: in range, but no such row.
                url = _url_with(app, rule, world, method, name, str(MAX_ID))
                response = client.open(url, method=method)
                if response.status_code >= 500:
                    wrong.append((method, url, response.status_code))
    assert requests > 200
    assert not wrong, "\n".join(map(str, wrong))


def test_page_numbers_and_ids_in_query_strings_never_give_a_500(app, world):
    wrong = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "accounts.logout"):
            continue
        client = _client_for(world, rule.endpoint, "GET")
        url = url_of(app, rule, world.ids)
        for value in BAD_NUMBERS:
            queries = [{"halaman": value}, dict.fromkeys(NUMBER_ARGS, value)]
            for query in queries:
                response = client.get(url, query_string=query)
                if response.status_code >= 500:
                    wrong.append((url, query, response.status_code))
    assert not wrong, "\n".join(map(str, wrong))


@pytest.mark.parametrize("value", ["²", "99999999999999999999999"])
def test_version_numbers_in_forms_never_give_a_500(app, world, value):
    """Hidden version fields ("the version you saw") of every POST form, filled by an attacker."""
    wrong = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint == "accounts.logout":
            continue
        client = _client_for(world, rule.endpoint, "POST")
        url = url_of(app, rule, world.ids)
        data = {"version": value, "task_version": value, "unit_id": value, "units": value,
                "working_days": value, "fee_amount": value, "fee_paid": value, "year": value, "halaman": value,
                "received_date": "", "received_time": ""}
        response = client.post(url, data=data)
        if response.status_code >= 500 or "invalid literal" in response.get_data(as_text=True):
            wrong.append((url, response.status_code))
    assert not wrong, "\n".join(map(str, wrong))
