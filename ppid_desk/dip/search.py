"""Full-text search over the published catalogue with the database's own engine.

* **SQLite**: an FTS5 table with external content (``dip_search_fts`` over ``dip_search_text``),
  tokenizer ``unicode61 remove_diacritics 2``; triggers keep it in step with the table. FTS5 has
  no Indonesian stemmer, so every word typed is searched as a *prefix*: "anggaran" finds
  "anggarannya", "lapor" finds "laporan" and "pelaporan"? no — a prefix only grows at the end:
  "lapor" finds "laporan" but not "melaporkan".
* **PostgreSQL**: a stored generated ``tsvector`` column with a GIN index, built with
  ``to_tsvector('indonesian', …)`` (PostgreSQL ships the Snowball
  Indonesian stemmer since version 12): affixes are stripped on both sides, so "laporan",
  "melaporkan" and "pelaporan" all meet at "lapor"; words are also searched as prefixes.
  ``simple`` would have matched whole words only, which is worse for Indonesian.

Titles weigh more than summaries, summaries more than the documents' text. Highlights come from
the engine (``highlight``/``snippet``, ``ts_headline``) with private-use marker characters that
the template turns into ``<mark>`` after escaping the text, so no document text is ever markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy import text

from ..extensions import db

FTS_TABLE = "dip_search_fts"
START, STOP = "\ue000", "\ue001"
MAX_TERMS = 8
BODY_MAX_CHARS = 400_000  # PostgreSQL refuses a tsvector over 1 MB; a catalogue entry needs less

PG_VECTOR = ("setweight(to_tsvector('indonesian', title), 'A') || "
             "setweight(to_tsvector('indonesian', summary), 'B') || "
             "setweight(to_tsvector('indonesian', body), 'C')")

SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, summary, body, content='dip_search_text', "
    "content_rowid='item_id', tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER dip_search_ai AFTER INSERT ON dip_search_text BEGIN INSERT INTO {FTS_TABLE}"
    "(rowid, title, summary, body) VALUES (new.item_id, new.title, new.summary, new.body); END",
    f"CREATE TRIGGER dip_search_ad AFTER DELETE ON dip_search_text BEGIN INSERT INTO {FTS_TABLE}"
    f"({FTS_TABLE}, rowid, title, summary, body) VALUES ('delete', old.item_id, old.title, old.summary, "
    "old.body); END",
    f"CREATE TRIGGER dip_search_au AFTER UPDATE ON dip_search_text BEGIN INSERT INTO {FTS_TABLE}"
    f"({FTS_TABLE}, rowid, title, summary, body) VALUES ('delete', old.item_id, old.title, old.summary, "
    f"old.body); INSERT INTO {FTS_TABLE}(rowid, title, summary, body) VALUES (new.item_id, new.title, "
    "new.summary, new.body); END",
)
SQLITE_DROP = ("DROP TRIGGER IF EXISTS dip_search_au", "DROP TRIGGER IF EXISTS dip_search_ad",
               "DROP TRIGGER IF EXISTS dip_search_ai", f"DROP TABLE IF EXISTS {FTS_TABLE}")
# PostgreSQL stores the weighted vector in a generated column (the GIN index finds the matches;
# ranking and the highlights then read the stored vector instead of parsing every matching
# document's text again: on 20,000 items a common word took 40 s with an expression index).
# Ranking reads a second, small vector of the title and summary only: ``ts_rank`` over the whole
# documents' vectors of 20,000 matches of a common word took half a second (every vector is read
# from TOAST), and a word in a title or summary says more about an item than one in its documents.
PG_COLUMN, PG_HEAD = "search_vector", "search_head"
PG_HEAD_VECTOR = ("setweight(to_tsvector('indonesian', title), 'A') || "
                  "setweight(to_tsvector('indonesian', summary), 'B')")
PG_DDL = (f"ALTER TABLE dip_search_text ADD COLUMN {PG_COLUMN} tsvector GENERATED ALWAYS AS ({PG_VECTOR}) STORED",
          f"ALTER TABLE dip_search_text ADD COLUMN {PG_HEAD} tsvector GENERATED ALWAYS AS ({PG_HEAD_VECTOR}) STORED",
          f"CREATE INDEX ix_dip_search_vector ON dip_search_text USING gin ({PG_COLUMN})")
PG_DROP = ("DROP INDEX IF EXISTS ix_dip_search_vector", f"ALTER TABLE dip_search_text DROP COLUMN IF EXISTS {PG_HEAD}",
           f"ALTER TABLE dip_search_text DROP COLUMN IF EXISTS {PG_COLUMN}")


def ddl(dialect: str, *, drop: bool = False) -> tuple[str, ...]:
    if dialect == "sqlite":
        return SQLITE_DROP if drop else SQLITE_DDL
    return PG_DROP if drop else PG_DDL


def not_in_models(name: str | None, type_: str, parent_names) -> bool:
    """Alembic's ``include_name``: the FTS5 table and its shadow tables, and PostgreSQL's expression
    index, are the engine's, not the models' (autogenerate and the migrations-match-models test must
    not try to drop them)."""
    if type_ == "table" and name and name.startswith(FTS_TABLE):
        return False
    if type_ == "column" and name in (PG_COLUMN, PG_HEAD):
        return False
    return not (type_ == "index" and name == "ix_dip_search_vector")


def terms(query: str) -> list[str]:
    """The words of what was typed (letters and digits only), at most eight, lower case."""
    return terms_all(query)[:MAX_TERMS]


@dataclass(frozen=True)
class Hit:
    item_id: int
    title: Markup
    snippet: Markup


def marked(value: str | None) -> Markup:
    """Engine output with the marker characters, escaped, the markers made ``<mark>``."""
    escaped = str(escape(value or ""))
    return Markup(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))


def _sqlite_match(words: list[str]) -> str:
    return " ".join(f'"{word}"*' for word in words)


def _pg_query(words: list[str]) -> str:
    return " & ".join(f"{word}:*" for word in words)


# Words too common in a request's description to say what it is about (suggestions ignore them).
STOPWORDS = frozenset(["yang", "dan", "atau", "untuk", "dengan", "dari", "pada", "dalam", "tentang", "atas", "oleh", "kepada", "sebagai", "serta", "saya", "kami", "mohon", "minta", "meminta", "permohonan", "informasi", "data", "dokumen", "tahun", "bulan", "terkait", "mengenai", "agar", "dapat", "bisa", "akan", "ingin", "tersebut", "adalah", "ini", "itu", "juga", "tidak", "sudah", "belum", "karena", "secara", "setiap", "semua", "bagi", "para"])


def suggestion_query(dialect: str, words: list[str]) -> str:
    """Any of ``words`` in a title or summary, for the suggestions beside the request form: whole
    words, the last one (perhaps still being typed) as a prefix. The documents' text is left out:
    a description's common words match most documents, and scoring all those matches is what
    made a suggestion slow (at 20,000 items: ~430 ms on SQLite with every column and prefix,
    ~120 ms like this), while a title or summary says what an item is."""
    if dialect == "sqlite":
        parts = [f'"{word}"' for word in words[:-1]] + [f'"{words[-1]}"*']
        return "{title summary} : (" + " OR ".join(parts) + ")"
    return " | ".join([f"{word}:AB" for word in words[:-1]] + [f"{words[-1]}:*AB"])


def suggestion_terms(text_typed: str) -> list[str]:
    """The words of a request's description worth matching: four letters or more, not common."""
    words = [word for word in terms_all(text_typed) if len(word) >= 4 and word not in STOPWORDS]
    return list(dict.fromkeys(words))[:MAX_TERMS]


def terms_all(query: str) -> list[str]:
    return [word[:40] for word in re.findall(r"\w+", (query or "").lower()) if word.strip("_")]


def matching_ids_sql(dialect: str, *, ranked: bool = True) -> str:
    """SQL selecting ``item_id`` and ``rank`` (lower is better) of the matches of ``:q``; unranked
    (rank 0) for counting, which spares the engine the scoring of every match."""
    if dialect == "sqlite":
        rank = f"bm25({FTS_TABLE}, 10.0, 4.0, 1.0)" if ranked else "0"
        return f"SELECT rowid AS item_id, {rank} AS rank FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q"
    rank = f"-ts_rank({PG_HEAD}, to_tsquery('indonesian', :q))" if ranked else "0"
    return (f"SELECT item_id, {rank} AS rank "
            f"FROM dip_search_text WHERE {PG_COLUMN} @@ to_tsquery('indonesian', :q)")


def query_value(dialect: str, words: list[str]) -> str:
    return _sqlite_match(words) if dialect == "sqlite" else _pg_query(words)


def _marked_prefixes(value: str, words: list[str]) -> str:
    """``value`` with every word that begins with one of ``words`` between the markers (the same
    rule as the SQLite search: a typed word matches as a prefix, letters compared without case)."""
    pattern = re.compile(r"\b(" + "|".join(re.escape(word) for word in words) + r")\w*", re.IGNORECASE)
    return pattern.sub(lambda found: START + found.group(0) + STOP, value)


def _passage(value: str, words: list[str], size: int = 24) -> str:
    """About ``size`` words of ``value`` around its first marked word, or "" if none is marked."""
    marked_text = _marked_prefixes(value, words)
    tokens = marked_text.split()
    first = next((index for index, token in enumerate(tokens) if START in token), None)
    if first is None:
        return ""
    start = max(0, first - size // 3)
    passage = " ".join(tokens[start:start + size])
    return ("… " if start else "") + passage + (" …" if start + size < len(tokens) else "")


def highlights(item_ids: list[int], words: list[str]) -> dict[int, Hit]:
    """The title and a short passage of each item with the searched words marked.

    PostgreSQL marks what its stemmer matched (``ts_headline``); on SQLite, where the search is
    by word prefix, the same prefix rule marks the 20 shown items here (FTS5's ``snippet`` would
    re-run the whole match for each of them)."""
    if not item_ids or not words:
        return {}
    dialect = db.engine.dialect.name
    ids = ",".join(str(int(item_id)) for item_id in item_ids)
    if dialect == "sqlite":
        rows = db.session.execute(text(
            f"SELECT item_id, title, summary, body FROM dip_search_text WHERE item_id IN ({ids})"))  # noqa: S608
        return {row[0]: Hit(row[0], marked(_marked_prefixes(row[1], words)),
                            marked(_passage(row[2], words) or _passage(row[3], words)))
                for row in rows}
    sql = ("SELECT item_id, ts_headline('indonesian', title, to_tsquery('indonesian', :q), "
           "'StartSel=' || :a || ', StopSel=' || :b || ', HighlightAll=true'), "
           "ts_headline('indonesian', summary || ' … ' || left(body, 20000), to_tsquery('indonesian', :q), "
           "'StartSel=' || :a || ', StopSel=' || :b || ', MaxWords=30, MinWords=12, MaxFragments=2, "
           "FragmentDelimiter=\" … \"') "
           f"FROM dip_search_text WHERE item_id IN ({ids})")  # noqa: S608 - integers only
    rows = db.session.execute(text(sql), {"q": query_value(dialect, words), "a": START, "b": STOP})
    # The passage shown: where a word was found; none (the page shows the summary) when the
    # words are only in the title.
    return {row[0]: Hit(row[0], marked(row[1]), marked(row[2] if row[2] and START in row[2] else ""))
            for row in rows}
