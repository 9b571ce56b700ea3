"""The import_ksbs management command: CSV and the published JSON, all-or-nothing, versions kept apart."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from programmes.models import KSB, Standard

CSV_HEADER = "code,statement\n"
FOUR_KSBS = (
    CSV_HEADER
    + "K1,Principles of public governance\n"
    + "K2,Organisational strategy\n"
    + "S1,Lead change across the organisation\n"
    + "B1,Acts with integrity\n"
)
PUBLISHED = {
    "referenceNumber": "ST0480",
    "version": "1.1",
    "title": "Senior leader",
    "level": 7,
    "knowledges": [
        {"detail": "K1: How to shape organisational vision"},
        {"detail": "K2: Market and financial drivers"},
    ],
    "skills": [{"detail": "S1: Develop and deliver strategy"}],
    "behaviours": [{"detail": "B1: Works collaboratively and inclusively"}],
}


def _import(path, *args, **options) -> str:
    out = StringIO()
    call_command("import_ksbs", str(path), *args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _ksbs(standard: Standard) -> dict[str, tuple[str, str]]:
    return {ksb.code: (ksb.kind, ksb.statement) for ksb in standard.ksbs.all()}


def _new_standard_options() -> dict:
    return {"standard": "ST0999", "standard_version": "1.0", "title": "Test standard", "level": 6}


def test_a_csv_creates_ksbs_with_kinds_taken_from_their_codes(db, tmp_path):
    output = _import(_write(tmp_path, "ksbs.csv", FOUR_KSBS), **_new_standard_options())

    assert "ST0999 v1.0: 4 created, 0 updated, 0 unchanged." in output
    standard = Standard.objects.get(code="ST0999", version="1.0")
    assert (standard.title, standard.level) == ("Test standard", 6)
    assert _ksbs(standard) == {
        "K1": ("K", "Principles of public governance"),
        "K2": ("K", "Organisational strategy"),
        "S1": ("S", "Lead change across the organisation"),
        "B1": ("B", "Acts with integrity"),
    }
    assert list(standard.ksbs.order_by("order").values_list("code", flat=True)) == ["K1", "K2", "S1", "B1"]


def test_the_documented_version_flag_works_on_the_command_line(world, tmp_path):
    path = _write(tmp_path, "ksbs.csv", CSV_HEADER + "K9,A new knowledge statement\n")

    output = _import(path, "--standard", "ST0480", "--version", "1.2")

    assert "ST0480 v1.2: 1 created, 0 updated, 0 unchanged." in output
    assert KSB.objects.filter(standard__version="1.2", code="K9").exists()


def test_rerunning_the_same_csv_creates_nothing_and_reports_every_ksb_unchanged(db, tmp_path):
    path = _write(tmp_path, "ksbs.csv", FOUR_KSBS)
    _import(path, **_new_standard_options())

    output = _import(path, standard="ST0999", standard_version="1.0")

    assert "0 created, 0 updated, 4 unchanged." in output
    assert KSB.objects.filter(standard__code="ST0999").count() == 4


def test_a_changed_statement_is_reported_as_updated(db, tmp_path):
    _import(_write(tmp_path, "ksbs.csv", FOUR_KSBS), **_new_standard_options())
    revised = FOUR_KSBS.replace("Acts with integrity", "Acts with integrity and courage")

    output = _import(_write(tmp_path, "revised.csv", revised), standard="ST0999", standard_version="1.0")

    assert "0 created, 1 updated, 3 unchanged." in output
    assert KSB.objects.get(standard__code="ST0999", code="B1").statement == "Acts with integrity and courage"
    assert KSB.objects.filter(standard__code="ST0999").count() == 4


def test_a_csv_may_add_ksbs_to_an_existing_version(db, tmp_path):
    _import(_write(tmp_path, "ksbs.csv", FOUR_KSBS), **_new_standard_options())

    output = _import(
        _write(tmp_path, "more.csv", FOUR_KSBS + "S2,Manage budgets\n"),
        standard="ST0999",
        standard_version="1.0",
    )

    assert "1 created, 0 updated, 4 unchanged." in output


def test_the_source_is_recorded_on_the_standard(db, tmp_path):
    _import(
        _write(tmp_path, "ksbs.csv", FOUR_KSBS),
        source="Skills England download, May 2025",
        **_new_standard_options(),
    )

    assert Standard.objects.get(code="ST0999").ksb_source == "Skills England download, May 2025"


def test_published_json_creates_a_new_standard_version_with_its_own_ksbs(world, tmp_path):
    v12 = Standard.objects.get(code="ST0480", version="1.2")
    v12_before = _ksbs(v12)

    output = _import(_write(tmp_path, "st0480.json", json.dumps(PUBLISHED)))

    assert "ST0480 v1.1: 4 created, 0 updated, 0 unchanged." in output
    v11 = Standard.objects.get(code="ST0480", version="1.1")
    assert (v11.title, v11.level) == ("Senior leader", 7)
    assert _ksbs(v11) == {
        "K1": ("K", "How to shape organisational vision"),
        "K2": ("K", "Market and financial drivers"),
        "S1": ("S", "Develop and deliver strategy"),
        "B1": ("B", "Works collaboratively and inclusively"),
    }
    assert _ksbs(v12) == v12_before, "importing v1.1 must not touch v1.2's KSBs"


def test_published_json_without_code_prefixes_numbers_each_list_in_order(db, tmp_path):
    data = {
        **PUBLISHED,
        "referenceNumber": "ST0998",
        "knowledges": ["Plain knowledge one", "Plain knowledge two"],
        "skills": [{"detail": "A skill"}],
        "behaviours": [{"detail": "A behaviour"}],
    }

    _import(_write(tmp_path, "plain.json", json.dumps(data)))

    assert _ksbs(Standard.objects.get(code="ST0998")) == {
        "K1": ("K", "Plain knowledge one"),
        "K2": ("K", "Plain knowledge two"),
        "S1": ("S", "A skill"),
        "B1": ("B", "A behaviour"),
    }


def test_a_json_list_of_code_and_statement_objects_is_imported(db, tmp_path):
    items = [
        {"code": "K1", "statement": "Knowledge from a list"},
        {"code": "S3", "statement": "Skill from a list"},
        {"code": "B2", "statement": "Behaviour from a list"},
    ]

    output = _import(_write(tmp_path, "list.json", json.dumps(items)), **_new_standard_options())

    assert "3 created, 0 updated, 0 unchanged." in output
    assert _ksbs(Standard.objects.get(code="ST0999")) == {
        "K1": ("K", "Knowledge from a list"),
        "S3": ("S", "Skill from a list"),
        "B2": ("B", "Behaviour from a list"),
    }


def test_the_same_code_in_two_versions_is_two_separate_ksbs(world, tmp_path):
    _import(_write(tmp_path, "st0480.json", json.dumps(PUBLISHED)))
    revised = {**PUBLISHED, "knowledges": [{"detail": "K1: Revised v1.1 wording"}]}

    _import(_write(tmp_path, "st0480-revised.json", json.dumps(revised)))

    k1s = KSB.objects.filter(standard__code="ST0480", code="K1").select_related("standard")
    assert {ksb.standard.version: ksb.statement for ksb in k1s} == {
        "1.1": "Revised v1.1 wording",
        "1.2": KSB.objects.get(standard__version="1.2", code="K1").statement,
    }
    assert KSB.objects.get(standard__version="1.2", code="K1").statement != "Revised v1.1 wording"
    assert k1s.count() == 2


# --- Refusals: nothing is imported --------------------------------------------------------------------------


def _assert_refused(path, *fragments, **options) -> None:
    ksbs_before = list(KSB.objects.order_by("pk").values_list("pk", "code", "statement"))
    standards_before = Standard.objects.count()

    with pytest.raises(CommandError) as caught:
        _import(path, **options)

    for fragment in fragments:
        assert fragment in str(caught.value)
    assert list(KSB.objects.order_by("pk").values_list("pk", "code", "statement")) == ksbs_before
    assert Standard.objects.count() == standards_before


def test_an_unknown_code_rolls_back_the_whole_import_and_names_the_line(world, tmp_path):
    text = (
        CSV_HEADER
        + "K1,Changed wording for K1\n"
        + "S9,A brand new skill\n"
        + "X7,Not a KSB\n"
        + "B2,After\n"
    )

    _assert_refused(
        _write(tmp_path, "bad.csv", text),
        "Line 4",
        "X7",
        "Nothing was imported",
        standard="ST0480",
        standard_version="1.2",
    )

    assert not KSB.objects.filter(code__in=["S9", "B2"]).exists()
    assert KSB.objects.get(standard__version="1.2", code="K1").statement != "Changed wording for K1"


def test_an_unknown_code_for_a_new_standard_creates_no_standard(db, tmp_path):
    text = CSV_HEADER + "K1,Fine\n" + "S1,Fine\n" + "X7,Not a KSB\n"

    _assert_refused(_write(tmp_path, "bad.csv", text), "Line 4", "X7", **_new_standard_options())

    assert not Standard.objects.filter(code="ST0999").exists()


def test_duplicate_codes_are_refused_naming_both_lines(world, tmp_path):
    text = CSV_HEADER + "K7,First\n" + "S7,Skill\n" + "K7,Second\n"

    _assert_refused(
        _write(tmp_path, "dupes.csv", text),
        "Line 4",
        "K7",
        "line 2",
        standard="ST0480",
        standard_version="1.2",
    )


def test_a_ksb_without_a_statement_is_refused_naming_the_line(world, tmp_path):
    text = CSV_HEADER + "K7,Fine\n" + "S7,\n"

    _assert_refused(
        _write(tmp_path, "empty.csv", text), "Line 3", "S7", standard="ST0480", standard_version="1.2"
    )


def test_a_csv_without_code_and_statement_columns_is_refused(world, tmp_path):
    text = "ref,text\nK7,Statement\n"

    _assert_refused(
        _write(tmp_path, "columns.csv", text),
        "'code' and 'statement'",
        standard="ST0480",
        standard_version="1.2",
    )


def test_a_csv_with_only_a_header_is_refused(world, tmp_path):
    _assert_refused(
        _write(tmp_path, "empty.csv", CSV_HEADER), "no KSBs", standard="ST0480", standard_version="1.2"
    )


def test_invalid_json_is_refused(world, tmp_path):
    _assert_refused(
        _write(tmp_path, "broken.json", '{"referenceNumber": "ST0480", "knowledges": ['),
        "not valid JSON",
        standard="ST0480",
        standard_version="1.2",
    )


def test_json_with_no_ksb_lists_is_refused(world, tmp_path):
    data = {"referenceNumber": "ST0480", "version": "1.1", "title": "Senior leader", "level": 7}

    _assert_refused(_write(tmp_path, "empty.json", json.dumps(data)), "no 'knowledges'")


@pytest.mark.parametrize("missing", ["title", "level", "both"])
def test_an_unknown_standard_needs_a_title_and_a_level(db, tmp_path, missing):
    options = _new_standard_options()
    if missing in ("title", "both"):
        del options["title"]
    if missing in ("level", "both"):
        del options["level"]

    _assert_refused(
        _write(tmp_path, "ksbs.csv", FOUR_KSBS), "ST0999 v1.0 does not exist", "--title", **options
    )

    assert not Standard.objects.filter(code="ST0999").exists()


def test_a_csv_needs_the_standard_and_version(db, tmp_path):
    _assert_refused(_write(tmp_path, "ksbs.csv", FOUR_KSBS), "--standard", "--version", standard="ST0999")


def test_a_missing_file_is_refused(db, tmp_path):
    _assert_refused(tmp_path / "nowhere.csv", "No such file", **_new_standard_options())
