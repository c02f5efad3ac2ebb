"""Large files parsed in chunks and account roots parsed once per shape give exactly python-hcl2's parse of each file
(validate/chunks.py, validate/shapes.py, validate/readings.py)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from baselinegen import api
from baselinegen.errors import RenderInvariantError
from baselinegen.validate import chunks, hclcheck, readings, shapes
from baselinegen.validate.hclparse import _safe_parse

from conftest import REPO

PROVIDERS = '''# Account {name} ({id}), role workload
provider "aws" {{
  region              = "us-east-1"
  allowed_account_ids = ["{id}"]

  assume_role {{
    role_arn     = "arn:aws:iam::{id}:role/OrganizationAccountAccessRole"
    session_name = "baselinegen-{name}"
  }}
}}
'''


def _providers(name: str, account_id: str) -> str:
    return PROVIDERS.format(name=name, id=account_id)


def _parsed(files: dict[str, str]) -> dict[str, object]:
    [parsed] = hclcheck.parse_paths([files], workers=1)
    return parsed


@pytest.fixture(autouse=True)
def fresh_readings(monkeypatch):
    monkeypatch.setattr(readings, "_READ", {})  # each test reads its files itself


@pytest.fixture(scope="module")
def organisation(tmp_path_factory) -> dict[str, str]:
    path = tmp_path_factory.mktemp("pieces") / "acme-org.yaml"
    path.write_text((REPO / "examples" / "acme-org.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return {f.path: f.content for f in api.render_tree(api.load_profile(path).profile).files if f.path.endswith(".tf")}


def test_two_account_roots_that_differ_by_name_and_id_have_one_shape_and_each_its_own_parse():
    first = shapes.shape_of("accounts/app-0001/providers.tf", _providers("app-0001", "700000000001"))
    second = shapes.shape_of("accounts/payments-prod/providers.tf", _providers("payments-prod", "123456789012"))
    assert first.text == second.text
    assert first.values == (("zzbaselinegenshapeaccount", "app-0001"), ("900000000000", "700000000001"))
    files = {"accounts/app-0001/providers.tf": _providers("app-0001", "700000000001"),
             "accounts/payments-prod/providers.tf": _providers("payments-prod", "123456789012")}
    parsed = _parsed(files)
    assert parsed == {path: _safe_parse(text) for path, text in files.items()}
    assert parsed["accounts/payments-prod/providers.tf"]["provider"][0]['"aws"']["allowed_account_ids"] == ['"123456789012"']


@pytest.mark.parametrize("path, text", [
    ("modules/kms/providers.tf", _providers("app-0001", "700000000001")),  # not an account root
    ("accounts/app-0001/providers.tf", _providers("app-0001", "700000000001").replace("baselinegen-", "baselinegen\\\\")),
    ("accounts/app-0001/main.tf", 'locals {\n  x = "1app-0001"\n}\n'),  # the name right after a digit (1e5 is a number)
    ("accounts/app-0001/main.tf", 'locals {\n  x = "app-0001_x"\n}\n'),  # the name runs on into a longer word
    ("accounts/app-0001/main.tf", 'locals {\n  x = "a.700000000001"\n}\n'),  # an id right after a dot
    ("accounts/app-0001/main.tf", 'locals {\n  x = "700000000001.5"\n}\n'),  # an id before a dot: a decimal
    ("accounts/app-0001/main.tf", 'locals {\n  x = "zzbaselinegenshapeaccount"\n}\n'),  # the stand-in itself
    ("accounts/app-0001/main.tf", 'locals {\n  x = "no values"\n}\n'),  # nothing to replace
])
def test_a_file_whose_values_could_change_how_it_reads_has_no_shape_and_parses_as_it_is(path, text):
    assert shapes.shape_of(path, text) is None
    assert _parsed({path: text}) == {path: _safe_parse(text)}


@pytest.mark.parametrize("digits", ["1234567890123", "123456789012345678901234", "99123456789012"])
def test_a_longer_run_of_digits_is_not_an_id_and_stays_in_the_shape(digits):
    text = f'locals {{\n  x = "{digits}"\n  id = "700000000001"\n  name = "app-0001"\n}}\n'
    shape = shapes.shape_of("accounts/app-0001/main.tf", text)
    assert shape.text == f'locals {{\n  x = "{digits}"\n  id = "900000000000"\n  name = "zzbaselinegenshapeaccount"\n}}\n'
    assert shape.values == (("zzbaselinegenshapeaccount", "app-0001"), ("900000000000", "700000000001"))
    assert _parsed({"accounts/app-0001/main.tf": text}) == {"accounts/app-0001/main.tf": _safe_parse(text)}


def test_an_account_id_written_as_a_number_is_parsed_from_the_file_not_from_the_shape():
    text = 'locals {\n  id = 700000000001\n  name = "app-0001"\n}\n'
    assert shapes.shape_of("accounts/app-0001/main.tf", text) is not None
    parsed = _parsed({"accounts/app-0001/main.tf": text})
    assert parsed == {"accounts/app-0001/main.tf": _safe_parse(text)}
    assert parsed["accounts/app-0001/main.tf"]["locals"][0]["id"] == 700000000001


def test_an_account_root_file_that_does_not_parse_reports_its_own_error_not_its_shapes():
    text = _providers("app-0001", "700000000001").replace('region              = "us-east-1"', 'region = = "app-0001"')
    found = _parsed({"accounts/app-0001/providers.tf": text})["accounts/app-0001/providers.tf"]
    assert isinstance(found, str)
    assert found == _safe_parse(text)
    assert "zzbaselinegen" not in found and "900000000" not in found


def test_the_organisation_parses_file_by_file_as_python_hcl2_parses_each_whole_with_large_files_in_chunks(
        organisation, monkeypatch):
    monkeypatch.setattr(chunks, "MIN_SIZE", 2_000)  # the example's files are small: chunk what a large org would
    chunked = [path for path, text in organisation.items() if chunks.chunks(text)]
    shaped = [path for path, text in organisation.items() if not chunks.chunks(text) and shapes.shape_of(path, text)]
    assert len(chunked) >= 5 and len(shaped) >= 10
    assert _parsed(organisation) == {path: _safe_parse(text) for path, text in sorted(organisation.items())}


def test_a_large_file_is_cut_only_before_top_level_blocks_and_its_chunks_join_to_it():
    blocks = "".join(f'resource "aws_s3_bucket" "b{i}" {{\n  bucket = "bucket-{i}"\n}}\n\n' for i in range(2_000))
    pieces = chunks.chunks(blocks)
    assert len(pieces) > 10 and "".join(pieces) == blocks
    assert all(piece.startswith('resource "aws_s3_bucket"') for piece in pieces)
    assert chunks.joined([_safe_parse(piece) for piece in pieces]) == _safe_parse(blocks)


def test_a_block_added_in_the_middle_of_a_large_file_changes_one_chunk_and_leaves_the_others():
    blocks = [f'resource "aws_s3_bucket" "b{i}" {{\n  bucket = "bucket-{i}"\n}}\n\n' for i in range(2_000)]
    before = chunks.chunks("".join(blocks))
    after = chunks.chunks("".join(blocks[:1000] + ['resource "aws_s3_bucket" "new" {\n  bucket = "new"\n}\n\n'] + blocks[1000:]))
    assert len(set(after) - set(before)) <= 2 and len(set(before) - set(after)) <= 1


@pytest.mark.parametrize("text", [
    'locals {\n  x = 1\n}\n' * 10,  # small: parsed whole
    ('locals {\n  x = <<EOT\nsome = "text"\nEOT\n}\n' * 2_000),  # a heredoc's lines are not indented
])
def test_a_small_file_or_one_with_a_heredoc_is_not_cut(text):
    assert chunks.chunks(text) is None


def test_a_large_file_whose_lines_are_not_indented_is_parsed_whole_when_its_chunks_do_not_parse():
    text = "".join(f'resource "aws_s3_bucket" "b{i}" {{\nbucket = "bucket-{i}"\n}}\n\n' for i in range(1_500))
    assert chunks.chunks(text) is not None  # cut before the attribute lines too: those chunks do not parse
    parsed = _parsed({"modules/x/main.tf": text})
    assert parsed == {"modules/x/main.tf": _safe_parse(text)}
    assert isinstance(parsed["modules/x/main.tf"], dict)


def test_chunks_that_set_the_same_top_level_attribute_are_not_joined():
    assert chunks.joined([{"x": 1}, {"x": 2}]) is None
    assert chunks.joined([{"x": [{"a": 1}]}, {"x": [{"a": 2}]}]) is None  # a list of objects is not a list of blocks
    assert chunks.joined([{"resource": [{'"a"': {'"b"': {"__is_block__": True}}}]},
                          {"resource": [{'"a"': {'"c"': {"__is_block__": True}}}]}]) == {
        "resource": [{'"a"': {'"b"': {"__is_block__": True}}}, {'"a"': {'"c"': {"__is_block__": True}}}]}


@pytest.mark.parametrize("text", ['x = 1\n', 'x = = 1\n'])
@pytest.mark.parametrize("collecting", [True, False])
def test_a_parse_leaves_garbage_collection_as_it_found_it(text, collecting):
    was = gc.isenabled()
    try:
        (gc.enable if collecting else gc.disable)()
        _safe_parse(text)
        assert gc.isenabled() is collecting
    finally:
        (gc.enable if was else gc.disable)()


def test_a_render_and_its_checks_share_one_parse_and_a_changed_file_is_parsed_again(tmp_path, monkeypatch):
    path = tmp_path / "acme.yaml"
    path.write_text((REPO / "examples" / "acme.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    profile = api.load_profile(path).profile
    result = api.render_tree(profile)
    calls = []
    real = hclcheck.parse_files
    monkeypatch.setattr(hclcheck, "parse_files", lambda files, workers=None: calls.append(len(files)) or real(files, workers))
    api.verify(result, profile)
    assert calls == []
    changed = [f if f.path != "main.tf" else type(f)(f.path, f.content + "\nresource \"x\" {\n", f.mode) for f in result.files]
    with pytest.raises(RenderInvariantError, match="main.tf: does not parse"):
        api.verify(type(result)(files=changed, parsed=result.parsed), profile)
    assert calls == [len(changed)]


def test_every_golden_tree_parses_the_same_in_pieces_as_whole(monkeypatch):
    monkeypatch.setattr(chunks, "MIN_SIZE", 2_000)
    for tree in sorted((REPO / "tests" / "golden").iterdir()):
        files = {p.relative_to(tree).as_posix(): p.read_text(encoding="utf-8") for p in tree.rglob("*.tf")}
        assert _parsed(files) == {path: _safe_parse(text) for path, text in sorted(files.items())}, tree.name


def test_the_synthetic_organisation_parses_the_same_in_pieces_as_whole(tmp_path):
    import sys

    sys.path.insert(0, str(REPO / "bench"))
    from synth import write_profile

    path = write_profile(tmp_path / "synth.yaml", 40, 2, 6, 8)
    files = {f.path: f.content for f in api.render_tree(api.load_profile(Path(path)).profile).files if f.path.endswith(".tf")}
    assert sum(1 for path, text in files.items() if shapes.shape_of(path, text)) >= 80
    assert _parsed(files) == {path: _safe_parse(text) for path, text in sorted(files.items())}


def test_a_block_changed_in_a_large_file_parses_a_few_kilobytes_again_not_its_neighbours():
    blocks = [f'resource "aws_s3_bucket" "b{i}" {{\n' + "".join(f'  tag_{j} = "{i}-{j}"\n' for j in range(60)) + "}\n\n"
              for i in range(200)]  # 200 blocks of about 1.2 kB, as a module's for_each maps are
    before = chunks.chunks("".join(blocks))
    after = chunks.chunks("".join(blocks[:100] + [blocks[100].replace('"100-7"', '"changed"')] + blocks[101:]))
    new = set(after) - set(before)
    assert len(new) == 1 and sum(len(piece) for piece in new) <= 16_000
    assert len(before) >= 16


ROOT = "accounts/app-0001/providers.tf"


def _remembered(path: str, text: str):
    shape = shapes.shape_of(path, text)
    return shape.text, shape.values


def test_a_remembered_shape_with_its_values_gives_back_its_file_and_that_file_s_reading():
    text = _providers("app-0001", "700000000001")
    shape_text, values = _remembered(ROOT, text)
    assert shapes.refilled(ROOT, shape_text, values) == text
    from baselinegen.validate import parse_cache
    key = parse_cache.key(shape_text)
    whole = readings.recall(ROOT, key, shape_text, [list(pair) for pair in values])
    assert whole == text
    reading = readings.Reading.of(ROOT, whole)  # the kept one: its shape is not worked out again
    assert reading.pieces == [(key, shape_text)] and reading.values == values
    assert _parsed({ROOT: text}) == {ROOT: _safe_parse(text)}


@pytest.mark.parametrize("change", [
    lambda shape, values: (shape, (("zzbaselinegenshapeaccount", "app-0002"),) + values[1:]),  # another account's name
    lambda shape, values: (shape, values[:1] + (("900000000000", "70000000000"),)),  # 11 digits
    lambda shape, values: (shape, values[:1] + (("900000000000", "７00000000001"),)),  # not ASCII digits
    lambda shape, values: (shape, values[:1] + (("900000000001", "700000000001"),)),  # a stand-in the shape lacks
    lambda shape, values: (shape, values[:1]),  # a stand-in without its value
    lambda shape, values: (shape, values + (values[1],)),  # a stand-in twice
    lambda shape, values: (shape, ()),
    lambda shape, values: (shape.replace('"baselinegen-zz', '"baselinegen-xzz'), values),  # a name run on into a word
    lambda shape, values: (shape.replace('["900000000000"]', '["900000000000900000000000"]'), values),  # ids side by side
    lambda shape, values: (shape.replace('"us-east-1"', '"us-east-1\\\\"'), values),  # a backslash
    lambda shape, values: (shape, (("zzbaselinegenshapeaccount", "app-0001", "x"),) + values[1:]),
    lambda shape, values: (shape, ((1, "app-0001"),) + values[1:]),
])
def test_a_remembered_shape_that_could_not_be_shape_of_s_for_its_file_is_refused(change):
    shape_text, values = change(*_remembered(ROOT, _providers("app-0001", "700000000001")))
    assert shapes.refilled(ROOT, shape_text, values) is None


def test_a_remembered_shape_is_refused_for_an_account_named_like_the_stand_in():
    path = "accounts/zzbaselinegenshapeaccount/providers.tf"
    shape_text, values = _remembered(ROOT, _providers("app-0001", "700000000001"))
    named = (("zzbaselinegenshapeaccount", "zzbaselinegenshapeaccount"),) + values[1:]
    assert shapes.refilled(path, shape_text, named) is None
    assert shapes.shape_of(path, _providers("zzbaselinegenshapeaccount", "700000000001")) is None


@pytest.mark.parametrize("values", ["text", [["a"]], [[1, 2, 3]], 7, [None]])
def test_remembered_values_that_are_not_pairs_of_strings_are_refused(values):
    shape_text, _ = _remembered(ROOT, _providers("app-0001", "700000000001"))
    assert readings.recall(ROOT, "key", shape_text, values) is None


def test_a_remembered_text_is_known_only_under_its_own_key():
    from baselinegen.validate import parse_cache

    assert readings.known_texts({parse_cache.key("a"): "a", parse_cache.key("b"): "c", "x": 5}) == {parse_cache.key("a"): "a"}
