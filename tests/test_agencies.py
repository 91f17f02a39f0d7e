"""The agency registry: printed names (old ones too) resolve to one stable agency;
an unknown name becomes a draft, never a dropped report; a broken file is named."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXPECTED, ROOT

from generator import records
from generator.agencies import LEVELS, Agency, draft_id, guess_level, load_registry, publication_deadline
from generator.errors import RegistryError


def test_every_committed_report_resolves_to_a_registered_agency() -> None:
    registry = load_registry(ROOT)
    for path in sorted(EXPECTED.glob("*.yaml")):
        agency = registry.resolve(records.load_yaml(path)["agency"])
        assert not agency.draft, f"{path.name}: {agency.name} is not in data/agencies.yaml"
    for name in ("洪泽区人民政府", "淮安市洪泽区人民政府", "淮安市人民政府"):  # the committed PDFs
        assert not registry.resolve(name).draft, name
    assert registry.warnings == []


def test_registry_is_consistent() -> None:
    registry = load_registry(ROOT)
    for agency in registry:
        assert agency.level in LEVELS
        assert agency.region, agency.id
        if agency.parent:
            parent = registry.get(agency.parent)
            assert parent is not None and parent.region == agency.region[:len(parent.region)], agency.id


@pytest.mark.parametrize(("printed", "agency_id"), [
    ("湟中县教育局", "xining-huangzhong-education"),
    ("西宁市湟中区教育局", "xining-huangzhong-education"),
    ("西宁市 湟中区教育局", "xining-huangzhong-education"),  # a PDF split the name
    ("洪泽区人民政府", "huaian-hongze-government"),
    ("海东市平安区教育局", "haidong-pingan-education"),
])
def test_names_and_aliases_resolve_to_one_id(printed: str, agency_id: str) -> None:
    agency = load_registry(ROOT).resolve(printed)
    assert isinstance(agency, Agency)
    assert (agency.id, agency.draft) == (agency_id, False)


def test_alias_gives_the_canonical_record() -> None:
    agency = load_registry(ROOT).resolve("湟中县教育局")
    assert agency.name == "西宁市湟中区教育局"
    assert agency.region == ["青海省", "西宁市", "湟中区"]
    assert agency.level == "部门" and agency.parent == "xining-huangzhong-government"


def test_unknown_name_is_a_stable_draft_with_one_warning() -> None:
    registry = load_registry(ROOT)
    first = registry.resolve("海东市乐都区教育局")
    again = registry.resolve("海东市乐都区教育局")
    assert first is again and first.draft
    assert first.id == draft_id("海东市乐都区教育局") == load_registry(ROOT).resolve("海东市乐都区教育局").id
    assert first.id.startswith("draft-") and first.name == "海东市乐都区教育局"
    assert len(registry.warnings) == 1 and "海东市乐都区教育局" in registry.warnings[0]
    assert registry.resolve(None).draft and len(registry.warnings) == 2


def test_no_registry_file_means_every_name_is_a_draft(tmp_path: Path) -> None:
    registry = load_registry(tmp_path)
    assert list(registry) == [] and registry.resolve("海东市教育局").draft


def test_levels_and_deadlines_of_article_49() -> None:
    assert guess_level("某某县人民政府") == "县级以上人民政府"
    assert guess_level("某某镇人民政府") == "乡镇街道"
    assert guess_level("某某街道办事处") == "乡镇街道"
    assert guess_level("某某县教育局") == "部门"
    assert publication_deadline("部门", 2023) == "2024-01-31"
    assert publication_deadline("县级以上人民政府", 2023) == "2024-03-31"
    assert publication_deadline("乡镇街道", 2023) is None


@pytest.mark.parametrize(("text", "said"), [
    ("- {id: a, name: 甲局, level: 部门, region: [甲省]}\n- {id: a, name: 乙局, level: 部门, region: [甲省]}\n",
     "used twice"),
    ("- {id: a, name: 甲局, level: 厅级, region: [甲省]}\n", "level"),
    ("- {id: a, name: 甲局, level: 部门, region: [甲省], parent: b}\n", "parent 'b'"),
    ("- {id: a, name: 甲局, level: 部门, region: [甲省]}\n- {id: b, name: 乙局, aliases: [甲局], level: 部门}\n",
     "already belongs"),
    ("- {id: A B, name: 甲局, level: 部门}\n", "lowercase"),
    ("- {id: a, name: 甲局, level: 部门, regoin: [甲省]}\n", "unknown field"),
    ("agencies: [\n", "not valid YAML"),
])
def test_broken_registry_is_refused_by_name(tmp_path: Path, text: str, said: str) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "agencies.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        load_registry(tmp_path)
    assert err.value.path.as_posix() == "data/agencies.yaml" and said in err.value.reason
