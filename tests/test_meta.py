"""Agency, year and date as real titles and signatures print them."""

from __future__ import annotations

import pytest

from generator.extract.meta import find_title, full_name, read_meta


@pytest.mark.parametrize(("lines", "expected"), [
    (["海东市平安区教育局", "2023年政府信息公开工作年度报告"], ("海东市平安区教育局", 2023)),
    (["北关区教育局2023年政府信息公开工作年度报告"], ("北关区教育局", 2023)),
    (["2023年海东市教育局政府信息公开工作年度报告"], ("海东市教育局", 2023)),
    (["海东市教育局关于2023年度政府信息公开工作年度报告"], ("海东市教育局", 2023)),
    (["附件2", "永丰县农业农村局政府信息公开工作年度报告", "单位名称：永丰县农业农村局"], ("永丰县农业农村局", None)),
    (["云泽市人民政府 2019 年政府信息公开工作年度", "报告"], ("云泽市人民政府", 2019)),
    (["海东市教育局", "海东市教育局 2024 年政府信息公开工作年度报告"], ("海东市教育局", 2024)),
    (["西宁市湟中区教育局政府信息 公开工作年度报告", "单位名称：西宁市湟中区教育局", "单位主要负责人签名："],
     ("西宁市湟中区教育局", None)),
])
def test_title(lines: list[str], expected: tuple[str, int | None]) -> None:
    assert find_title(lines, len(lines)) == expected


@pytest.mark.parametrize(("closing", "published"), [
    (["永丰县农业农村局", "2024 年 1 月 25 日"], "2024-01-25"),
    (["长宁县文化广电和旅游局", "二〇二四年一月二十日"], "2024-01-20"),
    (["清漪市龙泉区民政局", "2025年3月23日"], "2025-03-23"),
    (["石门县卫生健康委员会"], None),
])
def test_published_date_and_year_from_body(closing: list[str], published: str | None) -> None:
    lines = ["附件2", "永丰县农业农村局政府信息公开工作年度报告", "一、总体情况",
             "本报告所列数据的统计期限自 2023 年 1 月 1 日起至 2023 年 12 月 31 日止。",
             "五、存在的主要问题及改进情况", "无。", "六、其他需要报告的事项", "无。", *closing]
    meta = read_meta(lines)
    assert meta.published == published
    assert meta.year == 2023
    assert meta.sections["other"] == "无。"


@pytest.mark.parametrize(("agency", "text", "expected"), [
    ("洪泽区人民政府", "本报告由淮安市洪泽区人民政府办公室根据", "淮安市洪泽区人民政府"),
    ("平安区教育局", "“青海省海东市平安区教育局”微信公众号", "海东市平安区教育局"),
    ("天山区教育局", "乌鲁木齐市天山区教育局", "乌鲁木齐市天山区教育局"),
    ("海东市教育局", "海东市教育局认真贯彻", "海东市教育局"),
    ("洪泽区人民政府", "2023年，洪泽区人民政府坚持", "洪泽区人民政府"),
])
def test_full_name_from_the_opening(agency: str, text: str, expected: str) -> None:
    assert full_name(agency, text) == expected


@pytest.mark.parametrize(("problems", "other"), [
    ("五、政府信息公开工作存在的主要问题及改进情况", "六、其他需要报告的事项"),
    ("五、存在问题及改进情况", "六、其它需要报告的事项"),
    ("五、存在的主要问题和改进措施", "六、其他需报告的事项"),
    ("五、政府信息公开工作存在的问题及改进情况", "六、其他需要报告事项"),
])
def test_reworded_headings(problems: str, other: str) -> None:
    lines = ["云泽市民政局2024年政府信息公开工作年度报告", "一、概述", "全年主动公开信息。",
             "五是加强培训，解决问题。", problems, "队伍有待加强。", other, "无。", "云泽市民政局", "2025年1月20日"]
    meta = read_meta(lines)
    assert meta.sections == {"overview": "全年主动公开信息。\n五是加强培训，解决问题。",
                             "problems": "队伍有待加强。", "other": "无。"}
    assert (meta.agency, meta.year, meta.published) == ("云泽市民政局", 2024, "2025-01-20")


def test_web_page_title_only_when_the_body_has_none() -> None:
    body = ["一、总体情况", "全年主动公开信息。", "六、其他需要报告的事项", "无。"]
    title = "云泽市民政局2024年政府信息公开工作年度报告_云泽市人民政府门户网站"
    assert (read_meta(body, title).agency, read_meta(body, title).year) == ("云泽市民政局", 2024)
    titled = ["云泽市民政局2023年政府信息公开工作年度报告", *body]
    assert (read_meta(titled, title).agency, read_meta(titled, title).year) == ("云泽市民政局", 2023)
