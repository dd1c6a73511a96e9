"""Hand transcription of the held-out real documents (tests/data/real/H*.txt), same format as
tests/real_transcription.py: per document its projects in order, each with its name and its
indicators as (一级, 二级, 三级, 指标值) as printed, 自评 documents also 实际完成值.

These pages were found after the readers were built (issue 13's held-out check) and transcribed
by reading each page, not by running pyxl. Conventions, as for the development set: an empty
category row (a 二级 with no 三级 and no value) is no indicator; a category spanned from the row
above is filled in; 一级 without a score suffix; a value with a separate 计量单位 cell is the value
followed by the unit; where the page is cut, only what it shows.
"""

from __future__ import annotations

from real_transcription import Project

__all__ = ["HELDOUT"]

# 湘潭: the 2015-family 申报表, 社会公众或服务对象满意度指标 under 效益指标 (as D05)
_H01 = [
    ("产出指标", "数量指标", "雾炮车降尘抑尘服务配备车辆数", "10辆"),
    ("产出指标", "数量指标", "雾炮车风炮射程", "≥80M"),
    ("产出指标", "质量指标", "服务周期内空气质量", "优良"),
    ("产出指标", "时效指标", "服务周期", "2023.07-2024.01"),
    ("产出指标", "成本指标", "控制在预算成本内", "250万"),
    ("效益指标", "社会效益指标", "服务周期内,市民对空气质量改善的满意程度", "≥85%"),
    ("效益指标", "社会公众或服务对象满意度指标", "市民满意度", "≥90%"),
]
# 棠溪镇 自评表: the whole table on one line, cells separated by single spaces; cut in 满意度
_H02 = [
    ("产出指标", "数量指标", "基建工程委托业务项目数量", "≥50个"),
    ("产出指标", "质量指标", "委托业务报告合格率", "≥100百分比"),
    ("产出指标", "质量指标", "经费支出合规性", "严格执行相关制度规定"),
    ("产出指标", "时效指标", "提交报告及时性", "在项目计划完成时间内完成"),
    ("产出指标", "成本指标", "项目总成本", "≤90万元"),
    ("产出指标", "成本指标", "单项业务成本", "符合相关规定"),
    ("效益指标", "社会效益指标", "对维护基建市场公平的影响程度", "效果明显"),
    ("效益指标", "生态效益指标", "对控制基建项目成本影响程度", "效果明显"),
    ("效益指标", "可持续影响指标", "对推动基建项目“四项制度”健全和落实的持续性影响", "效果明显"),
]
_H02_ACTUAL = ["50", "100", "达成预期指标", "达成预期指标", "90", "达成预期指标", "达成预期指标",
               "达成预期指标", "达成预期指标"]
# 鄂州: a .docx shown as one glued run of text (no separators at all); its 一级 column holds
# the 二级 and the 二级 column the 三级 (一级 产出指标 implied); cut in 水电气消耗下降率
_H03 = [
    ("产出指标", "数量指标", "办公大楼日常维修维护次数", "2280次"),
    ("产出指标", "数量指标", "大楼安检巡察次数", "200次"),
    ("产出指标", "质量指标", "办公大楼日常维修维护验收合格率", ">92%"),
    ("产出指标", "质量指标", "经常性大型设备更新验收合格率", "292%"),
    ("产出指标", "质量指标", "重.要设备维修维保验收合格率", "95%"),
    ("产出指标", "成本指标", "成本控制率", "不超预算"),
]

# 青神县 自评表: one cell per line ending in " |"; 指标性质/指标值/度量单位 in columns (as D10), 完成值 blank
_H04 = [
    ("产出指标", "数量指标", "发放(缴纳)覆盖率", "=100%"),
    ("效益指标", "社会效益指标", "足额保障率(参保率)", "=100%"),
]
# 廊坊 自评表: one cell per line with blank lines between; 三级 numbered "指标1…"; empty
# "指标2"/"……" rows are no indicators; 经济效益/指标 is one cell broken over two lines; cut
_H05 = [
    ("产出指标", "数量指标", "工程资金金额", "43.2"),
    ("产出指标", "质量指标", "工程完工率", "100"),
    ("产出指标", "质量指标", "工程验收合格率", "100"),
    ("产出指标", "时效指标", "项目完成及时率", "100"),
    ("产出指标", "成本指标", "成本控制率", "100"),
    ("效益指标", "经济效益指标", "安全率", "100"),
    ("效益指标", "社会效益指标", "学校发展能力", "100"),
    ("效益指标", "可持续影响指标", "长期使用性", "100"),
    ("满意度指标", "服务对象满意度指标", "学生满意度", "100"),
]
# 中江县 自评表: a page's text glued with no separator; columns 三级 分值 年度指标值 全年实际值 得分;
# 经济效益指标 has no indicator
_H06 = [
    ("产出指标", "数量指标", "安装坡面水标尺", "≥266米"),
    ("产出指标", "数量指标", "水标尺宽度", "≥50厘米"),
    ("产出指标", "质量指标", "项目(工程)验收合格率", "100%"),
    ("产出指标", "时效指标", "及时(按期)开工率", "≥90%"),
    ("产出指标", "时效指标", "及时(按期)完工率", "≥90%"),
    ("产出指标", "成本指标", "项目计划总投资", "20万元"),
    ("效益指标", "社会效益指标", "受益脱贫(含监测对象)户人口数", "≥1000人"),
    ("效益指标", "社会效益指标", "群众生产生活条件改善状况", "显著提升"),
    ("满意度指标", "服务对象满意度指标", "受益脱贫(含监测对象)户满意度", "≥95%"),
]
_H06_ACTUAL = ["≥266米", "≥50厘米", "100%", "≥90%", "≥90%", "20万元", "≥1000人", "显著提升", "≥95%"]
# 衡山县 专项资金自评表 (.docx text): glued, with spaces where the cells' lines wrapped ("产 出 指 标",
# "5000吨稻谷、500吨成 品粮储备到位率"); the header repeats after a page break; 三级 names
# without the wrap's space; "290%" is the page's (an OCR'd ≥90%)
_H07 = [
    ("产出指标", "数量指标", "5000吨稻谷、500吨成品粮储备到位率", "100%"),
    ("产出指标", "数量指标", "库存数量真实率", "100%"),
    ("产出指标", "质量指标", "县级储备粮管理制度严格执行率", "100%"),
    ("产出指标", "质量指标", "储备粮管理专户管理率", "100%"),
    ("产出指标", "质量指标", "县级储备粮库存粮食明显变质比例", "0"),
    ("产出指标", "时效指标", "县级储备粮贷款付息及时率", "100%"),
    ("产出指标", "时效指标", "县级储备粮应急保障率", "100%"),
    ("产出指标", "成本指标", "国家政策性粮收购价格执行率", "100%"),
    ("产出指标", "成本指标", "县级储备粮库存成本核算率", "100%"),
    ("效益指标", "经济效益指标", "利息费用保障率", "100%"),
    ("效益指标", "经济效益指标", "政策性挂账利息补贴保障率", "100%"),
    ("效益指标", "生态效益指标", "低温、低氧、低剂量科学保粮率", "100%"),
    ("效益指标", "生态效益指标", "食品安全指标达标率", "100%"),
    ("效益指标", "可持续影响指标", "粮食储备设备维护及安全性", "高"),
    ("满意度指标", "服务对象满意度指标", "因粮食市场波动引起的粮食安全事件发生数", "0起"),
    ("满意度指标", "服务对象满意度指标", "市民满意度调查", "290%"),
]
_H07_ACTUAL = ["100%", "100%", "100%", "100%", "0", "100%", "100%", "100%", "100%", "100%", "无", "100%", "100%",
               "高", "0起", "100%"]

HELDOUT: dict[str, list[Project]] = {
    "H01_xiangtan_sanitation_fogcannon_2023.txt": [{"name": "雾炮车降尘抑尘服务", "indicators": _H01}],
    "H02_guichi_tangxi_selfeval_2022.txt": [
        {"name": "委托业务项目", "indicators": _H02, "actual": _H02_ACTUAL},
    ],
    "H03_ezhou_office_building_2022.txt": [{"name": "滨湖大胆办公大楼运行保障", "indicators": _H03}],
    "H04_qingshen_ndrc_selfeval_2023.txt": [
        {"name": "51000021R000000019951-工资性支出", "indicators": _H04, "actual": [None, None]},
    ],
    "H05_langfang_food_school_selfeval_2019.txt": [
        {"name": "办公宿舍楼、食堂及餐厅暖通改造经费", "indicators": _H05,
         "actual": ["37.24", "100", "100", "100", "100", "100", "100", "100", "100"]},
    ],
    "H06_zhongjiang_water_selfeval_2022.txt": [
        {"name": "中江县农业水价综合改革精准补贴和节水奖励项目小型水库水标尺制作安装", "indicators": _H06,
         "actual": _H06_ACTUAL},
    ],
    "H07_hengshan_grain_reserve_selfeval_2020.txt": [
        {"name": "县级储备粮", "indicators": _H07, "actual": _H07_ACTUAL},
    ],
}
