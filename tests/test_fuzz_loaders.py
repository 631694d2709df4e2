"""Fuzzing the loaders: a mutated ledger loads, or fails with a PartydevError, nothing else.

Valid ledgers (the bundled sample as TOML and as JSON, a small ledger with CSV
files) are mutated in their bytes, their value types, sizes, nesting, dates and
numbers.  Whatever comes out, :func:`load_ledger` returns a ledger or raises a
:class:`PartydevError`; a ledger that loads also builds its report and checks its
claims with nothing but PartydevErrors; and a handful of files go through the
command line, which exits 0, 1 or 3 with no traceback.

The normal suite runs :data:`EXAMPLES` examples in all (2,000 by default);
``PARTYDEV_FUZZ_EXAMPLES=20000`` runs more.  A failing input is saved under
``tests/fuzz_corpus/`` when ``PARTYDEV_FUZZ_RECORD=1``, and every case saved
there is replayed by :func:`test_corpus_case`.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.strategies import DrawFn
from tests.test_io import HEAD

from partydev.checks.verdicts import check_claims
from partydev.errors import PartydevError
from partydev.report.progress import build_report
from partydev.shell.io import dumps_ledger, load_ledger

EXAMPLES = int(os.environ.get("PARTYDEV_FUZZ_EXAMPLES", "2000"))
"""Examples across all the fuzz tests of one run."""

CORPUS = Path(__file__).parent / "fuzz_corpus"
SAMPLE_TOML = (
    Path(__file__).parents[1] / "src" / "partydev" / "data" / "quang-nam-2023.toml"
).read_text(encoding="utf-8")
SAMPLE_JSON = dumps_ledger(
    load_ledger(Path(__file__).parents[1] / "src/partydev/data/quang-nam-2023.toml")
)
SMALL_TOML = (
    'files = { admissions = ["a.csv"], tallies = "t.csv" }\n'
    + HEAD
    + '\n[[targets]]\nunit = "d"\nterm = "t"\nvalue = 40\n'
    + '\n[[categories]]\nid = "women"\nlabel_vi = "Nữ"\nlabel_en = "Women"\n'
    + 'attribute = "sex"\nvalues = ["female"]\n'
)
SMALL_CSV = {
    "a.csv": "unit,date,person,birth_date,age,sex\n"
    "d,2021-03-15,A-1,1999-01-02,,female\n"
    "d,15/9/2022,A-2,,31,male\n"
    "d,2023-01-01,,,,\n",
    "t.csv": "unit,period,count,inclusive,breakdown.young\np,2021,10,yes,4\nd,2022-H1,3,,1\n",
}

# -- what the mutations put in -----------------------------------------------------------

NASTY_NUMBERS = [0, -1, -5, 1, 9999, 10000, 99999, 2**31, 2**63, 2**70, 10**18, 10**30]
NASTY_TEXT = [
    "",
    " ",
    "0001-01-01",
    "9999-12-31",
    "9999-12",
    "9999-Q4",
    "9999-H2",
    "0001-01-01..9999-12-31",
    "31/12/9999",
    "2023-02-30",
    "2020-10-01T08:00:00",
    "quý V/2023",
    "tháng 13/2023",
    "1e999999",
    "NaN",
    "-0",
    "60,5%",
    "\ufeff",
    "e\u0301",
    "=HYPERLINK(1)",
    "\x00",
    "a" * 300,
]


def _nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


plain_values = st.one_of(
    st.sampled_from(NASTY_NUMBERS),
    st.integers(),
    st.sampled_from(NASTY_TEXT),
    st.text(max_size=20),
    st.none(),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([[], {}, [1, 2], ["a", None], {"start": "2021-01-01"}, {"x": 1}]),
    st.sampled_from([_nested(70), "9" * 5000]),
    st.dates().map(date.isoformat),
    st.builds(
        lambda s, e: {"start": s, "end": e},
        st.dates().map(date.isoformat),
        st.dates().map(date.isoformat),
    ),
)

TOML_LITERALS = [
    "0",
    "-5",
    "99999",
    str(2**70),
    "9" * 5000,
    "1.5",
    "inf",
    "nan",
    "true",
    "[]",
    "[1, 2]",
    "[[1], [2]]",
    "{}",
    "{ a = 1 }",
    '"x"',
    "''",
    "2020-10-01T08:00:00",
    "2020-10-01 08:00:00+07:00",
    "08:00:00",
    "0001-01-01",
    "9999-12-31",
    '"9999-12-31"',
    "{ start = 2021-01-01T00:00:00, end = 2021-12-31 }",
    "[" * 70 + "]" * 70,
    "{a=" * 70 + "1" + "}" * 70,
    '"\\ud800"',
    '"""\n"""',
]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside plain JSON data."""
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _paths(item, (*prefix, index))
    return out


def _replace(data: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        return {**data, head: _replace(data[head], rest, new)}
    copy = list(data)
    copy[head] = _replace(copy[head], rest, new)
    return copy


@st.composite
def mutated_json(draw: DrawFn) -> bytes:
    """The sample as JSON with one to three values replaced, keys dropped or added."""
    data = json.loads(SAMPLE_JSON)
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["replace", "replace", "drop", "add"]))
        if action == "drop" and path:
            parent = _get(data, path[:-1])
            if isinstance(parent, dict):
                data = _replace(
                    data, path[:-1], {k: v for k, v in parent.items() if k != path[-1]}
                )
                continue
        target = _get(data, path)
        if action == "add" and isinstance(target, dict):
            key = draw(st.sampled_from(["files", "extra", "breakdown", "attributes", "values"]))
            data = _replace(data, path, {**target, key: draw(plain_values)})
            continue
        data = _replace(data, path, draw(plain_values))
    return json.dumps(data, ensure_ascii=False, default=str).encode("utf-8", "surrogatepass")


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


@st.composite
def mutated_toml(draw: DrawFn) -> bytes:
    """The sample TOML with the values of one to three ``key = value`` lines replaced."""
    lines = SAMPLE_TOML.split("\n")
    assignments = [i for i, line in enumerate(lines) if " = " in line and not line.startswith("#")]
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.sampled_from(assignments))
        key = lines[index].split(" = ", 1)[0]
        lines[index] = f"{key} = {draw(st.sampled_from(TOML_LITERALS))}"
    return "\n".join(lines).encode("utf-8")


@st.composite
def mutated_bytes(draw: DrawFn, seed: bytes) -> bytes:
    """*seed* with bytes flipped, inserted, deleted or the tail cut off."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        action = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "bad-utf8"]))
        if action == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 16))]
        elif action == "truncate":
            del data[at:]
        else:
            data[at:at] = draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xfe\xff"]))
    return bytes(data)


@st.composite
def mutated_csv(draw: DrawFn) -> dict[str, bytes]:
    """The small ledger's CSV files with cells replaced, rows or columns added, bytes broken."""
    files = {name: text.encode("utf-8") for name, text in SMALL_CSV.items()}
    name = draw(st.sampled_from(sorted(files)))
    rows = [line.split(",") for line in files[name].decode().splitlines()]
    for _ in range(draw(st.integers(1, 3))):
        action = draw(st.sampled_from(["cell", "cell", "cell", "row", "column", "bytes", "long"]))
        r = draw(st.integers(0, len(rows) - 1))
        if action == "cell":
            c = draw(st.integers(0, len(rows[r]) - 1))
            value = draw(plain_values)
            rows[r][c] = json.dumps(value, default=str) if not isinstance(value, str) else value
        elif action == "row":
            rows.insert(r, list(rows[r]) + draw(st.lists(st.text(max_size=3), max_size=2)))
        elif action == "column":
            rows[0].append(draw(st.sampled_from(["breakdown.young", "unit", "", "age", "x"])))
        elif action == "long":
            rows[r][0] = "x" * 140_000
    text = "\n".join(",".join(str(cell) for cell in row) for row in rows) + "\n"
    files[name] = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        files[name] = draw(mutated_bytes(files[name]))
    return files


# -- the property ------------------------------------------------------------------------


def _save(ledger_name: str, ledger: bytes, files: dict[str, bytes]) -> None:
    """Keep a failing input in the corpus (when recording), named by its content."""
    if os.environ.get("PARTYDEV_FUZZ_RECORD") != "1":
        return
    case = {
        "ledger": ledger_name,
        "files": {
            name: base64.b64encode(data).decode()
            for name, data in {ledger_name: ledger, **files}.items()
        },
    }
    text = json.dumps(case, indent=1, sort_keys=True) + "\n"
    CORPUS.mkdir(exist_ok=True)
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    (CORPUS / f"{digest}.json").write_text(text, encoding="utf-8")


def _loads_or_fails_cleanly(
    folder: Path, ledger_name: str, ledger: bytes, files: dict[str, bytes]
) -> None:
    """Write the case to *folder*; loading it, reporting and checking raise only PartydevErrors."""
    for name, data in {ledger_name: ledger, **files}.items():
        (folder / name).write_bytes(data)
    try:
        try:
            loaded = load_ledger(folder / ledger_name)
        except PartydevError:
            return
        for as_of in (date(2023, 6, 30), date(2025, 12, 31)):
            with contextlib.suppress(PartydevError):
                build_report(loaded, as_of=as_of)
        with contextlib.suppress(PartydevError):
            check_claims(loaded, None)
    except Exception:
        _save(ledger_name, ledger, files)
        raise


def _settings(share: float) -> Any:
    return settings(
        max_examples=max(1, int(EXAMPLES * share)),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@_settings(0.35)
@given(data=mutated_json())
def test_mutated_json_ledgers(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    """A JSON ledger with values of the wrong type, size, date or nesting fails cleanly."""
    _loads_or_fails_cleanly(tmp_path_factory.mktemp("j"), "l.json", data, {})


@_settings(0.25)
@given(data=mutated_toml())
def test_mutated_toml_ledgers(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    """A TOML ledger with datetimes, floats, tables or huge numbers as values fails cleanly."""
    _loads_or_fails_cleanly(tmp_path_factory.mktemp("t"), "l.toml", data, {})


@_settings(0.15)
@given(
    which=st.sampled_from(["toml", "json"]),
    data=st.data(),
)
def test_mutated_ledger_bytes(
    tmp_path_factory: pytest.TempPathFactory, which: str, data: st.DataObject
) -> None:
    """A ledger with broken bytes (bad UTF-8, cut short, junk inserted) fails cleanly."""
    seed = (SAMPLE_TOML if which == "toml" else SAMPLE_JSON).encode("utf-8")
    mutated = data.draw(mutated_bytes(seed))
    _loads_or_fails_cleanly(tmp_path_factory.mktemp("b"), f"l.{which}", mutated, {})


@_settings(0.25)
@given(files=mutated_csv())
def test_mutated_csv_files(
    tmp_path_factory: pytest.TempPathFactory, files: dict[str, bytes]
) -> None:
    """A ledger whose CSV files hold bad cells, rows, columns or bytes fails cleanly."""
    folder = tmp_path_factory.mktemp("c")
    _loads_or_fails_cleanly(folder, "l.toml", SMALL_TOML.encode("utf-8"), files)


def _cases() -> list[Path]:
    return sorted(CORPUS.glob("*.json"))


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.stem)
def test_corpus_case(tmp_path: Path, case: Path) -> None:
    """Every input the fuzzing ever failed on now loads or fails with a PartydevError."""
    saved = json.loads(case.read_text(encoding="utf-8"))
    files = {name: base64.b64decode(text) for name, text in saved["files"].items()}
    ledger = files.pop(saved["ledger"])
    _loads_or_fails_cleanly(tmp_path, saved["ledger"], ledger, files)


@pytest.mark.parametrize("command", ["validate", "report", "check"])
def test_the_cli_on_corpus_cases_prints_one_line(tmp_path: Path, command: str) -> None:
    """Through the command line, corpus cases exit 0, 1 or 3 without a traceback."""
    for index, case in enumerate(_cases()[:6]):
        saved = json.loads(case.read_text(encoding="utf-8"))
        folder = tmp_path / str(index)
        folder.mkdir()
        for name, text in saved["files"].items():
            (folder / name).write_bytes(base64.b64decode(text))
        done = subprocess.run(
            [sys.executable, "-m", "partydev", command, str(folder / saved["ledger"])],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
        assert done.returncode in (0, 1, 3), done.stderr
        assert "Traceback" not in done.stderr
        if done.returncode == 3:
            assert done.stderr.count("\n") == 1
