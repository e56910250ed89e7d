"""The catalogue shipped with Anju (R1.4–R1.6): departments of seed 000 §六, the regulations both
seeds name, and the 15 violation types with their legal basis as LEGAL.md states it.

Article numbers are those read from the texts in shared/law/ or stated in LEGAL.md; anything
LEGAL.md marks 待核实 ships with verified=False and, where the article itself is unknown, a blank
article. Administrators confirm or correct these in the admin; the history keeps every change.
Stage deadlines are in working days and are the bureau's to set: the values below are a starting
point, not law.
"""

SEED_000 = "普府办〔2024〕18号 附件"
SEED_001 = "沪城管执〔2022〕52号"

DEPARTMENTS = [
    # code, name, duties (seed 000 §六), handles (non-enforcement matters referred to it), is_enforcement
    ("CHENGGUAN", "区城管执法局",
     "负责年度住宅小区违法行为查处工作计划的制定、组织协调、日常监督和年度考核评价；组织开展培训，落实定期会商通报机制，"
     "就跨区域的复杂疑难问题展开研究和协调。",
     "住宅小区城管类违法行为的查处", True),
    ("HOUSING", "区房管局",
     "指导街镇督促物业服务企业落实住宅小区日常管理职责；对物业服务企业因不履行及时发现、劝阻和报告义务而被相关行政执法部门"
     "作出行政处罚的，根据失信行为记分规则对物业服务企业或项目经理予以失信记分。",
     "物业服务纠纷、物业费、维修资金、业委会等", False),
    ("GREENING", "区绿化市容局",
     "协助执法部门依法对住宅小区占绿毁绿问题进行认定；落实住宅小区生活垃圾管理工作的组织协调和指导监督。",
     "树木修剪、绿化养护、生活垃圾清运与分类指导", False),
    ("PLANNING", "区规划资源局",
     "协助调阅规划许可证、规划图纸等；确权登记中心设有查询窗口，对城管执法部门查阅登记簿信息及办理相关登记予以支持。",
     "规划许可、不动产登记查询", False),
    ("JUSTICE", "区司法局", "指导属地街镇司法所做好相关案件审核工作。", "法律咨询、人民调解、法律援助", False),
    ("FIRE", "区消防救援支队", "指导相关部门和属地街镇落实住宅小区消防隐患排查和整改工作。",
     "消防隐患（电动自行车以外）、消防设施", False),
    ("SPORTS", "区体育局", "对住宅小区内信鸽饲养活动进行跟踪管理。", "信鸽饲养", False),
    ("POLICE", "区公安分局",
     "对城管执法工作人员依法执行公务行为予以保障，对涉及阻碍依法执行公务行为的人员依法予以查处；构成犯罪的，依法追究刑事责任。",
     "社会生活噪声扰民、治安、阻碍执法", False),
    ("STREET", "街道/镇",
     "落实住宅小区常态化管理巡查和综合执法工作，强化区域资源统筹，协调区人民政府相关职能部门及其派出机构等共同做好相关服务管理工作。",
     "邻里纠纷、居委会事务等基层事务", False),
]

# short_name, title, issuer, version, status, notes, named_in
REGULATIONS = [
    ("装修办法", "《住宅室内装饰装修管理办法》", "建设部", "建设部令第110号", "CURRENT", "", SEED_000),
    ("执法条例", "《上海市城市管理综合行政执法条例》及其《实施办法》", "上海市人大常委会", "",
     "CURRENT", "law/ 中为旧名称《上海市城市管理行政执法条例》2018 年文本，现行条文序号可能不同，引用前核实", SEED_000),
    ("市容条例", "《上海市市容环境卫生管理条例》", "上海市人大常委会", "2022-09-22 修订，2022-12-01 施行",
     "CURRENT", "law/ 中为 2018 年文本（已被替代）；小广告为新文本第二十条", SEED_000),
    ("物业规定", "《上海市住宅物业管理规定》", "上海市人大常委会", "2020-12-30", "CURRENT", "", f"{SEED_000}；{SEED_001}"),
    ("拆违规定", "《上海市拆除违法建筑若干规定》", "上海市人大常委会", "2018-05-24", "CURRENT", "", SEED_000),
    ("住房租赁条例", "《上海市住房租赁条例》", "上海市人大常委会", "2023-02-01 施行", "CURRENT",
     "条文序号待核实（文本未收录）", SEED_000),
    ("居住房屋租赁办法", "《上海市居住房屋租赁管理办法》", "上海市人民政府", "", "TO_VERIFY",
     "现行效力及与《上海市住房租赁条例》的关系待核实", SEED_000),
    ("垃圾条例", "《上海市生活垃圾管理条例》", "上海市人大常委会", "2019-01-31", "CURRENT",
     "2019 年文本；其后修订是否调整单位罚款待核实", SEED_000),
    ("绿化条例", "《上海市绿化条例》", "上海市人大常委会", "2018-12-20", "CURRENT", "2018 年文本，其后修订未核实", SEED_000),
    ("非机动车条例", "《上海市非机动车安全管理条例》", "上海市人大常委会", "2024-05-10 修正", "CURRENT", "",
     f"{SEED_000}；{SEED_001}"),
    ("建筑垃圾规定", "《上海市建筑垃圾处理管理规定》", "上海市人民政府", "2025 年修正（沪府令16号）", "CURRENT",
     "罚则条文待核实", f"{SEED_000}；{SEED_001}"),
    ("租赁管理办法", "《商品房屋租赁管理办法》", "住房和城乡建设部", "住建部令第6号", "CURRENT", "", SEED_001),
    ("房屋使用安全办法", "《上海市房屋使用安全管理办法》", "上海市人民政府", "", "TO_VERIFY", "版本与条文待核实", SEED_001),
    ("信用管理办法", "《上海市物业服务企业和项目经理信用信息管理办法》", "上海市住房和城乡建设管理委员会",
     "2023-07-01 施行（修订）", "CURRENT", "失信记分分值与阈值未查到，记分表由管理员维护（待核实）", "LEGAL.md（物业信用记分）"),
]

# Working-day deadlines per stage; keys are the case workflow's stages.
STANDARD = {"VERIFY": 3, "FILE": 5, "INVESTIGATE": 15, "DECIDE": 10, "RECTIFY": 15, "REVIEW": 5}


def _deadlines(**changes):
    return {**STANDARD, **changes}


# code, name, problem class, measures, deadlines, duty check, non-on-site, description
VIOLATION_TYPES = [
    ("RENOVATION_UNREGISTERED", "装修人未申报登记", "ORDER", ["ORDER_CORRECT", "FINE"], _deadlines(), True, False,
     "装饰装修未事先告知物业服务企业、未签订装饰装修管理协议。"),
    ("USE_CHANGE", "擅自改变物业使用性质", "SAFETY", ["ORDER_CORRECT", "RESTORE", "FINE"], _deadlines(), True, False,
     "住改商、住改仓、日租房、作坊等。"),
    ("GROUP_RENTING", "群租", "ORDER", ["ORDER_CORRECT", "FINE"], _deadlines(INVESTIGATE=20), False, True,
     "既查处业主、承租人，也追究房地产经纪机构及经纪人员的法律责任（沪城管执〔2022〕52号）。"),
    ("STRUCTURE_DAMAGE", "损坏房屋主体和承重结构", "SAFETY", ["ORDER_CORRECT", "RESTORE", "FINE"],
     _deadlines(VERIFY=1, RECTIFY=10), True, False, "一律整改恢复，坚决整治到位（沪城管执〔2022〕52号）。"),
    ("ILLEGAL_CONSTRUCTION", "违法搭建", "SAFETY",
     ["STOP", "DEMOLISH", "FINE", "ORDER_CORRECT", "RESTORE", "ANNOTATE", "FORCED_DEMOLITION"],
     _deadlines(VERIFY=1, RECTIFY=15), True, False,
     "正在搭建的一律制止、拆除并罚款；存量违建综合采取责令恢复原状、罚款、注记、强制拆除等方式（沪城管执〔2022〕52号）。"
     "拆违规定第七条：接报后24小时内到场（正在搭建的2小时内）。"),
    ("COMMON_AREA_OCCUPATION", "占用物业共用部分", "SAFETY", ["ORDER_CORRECT", "RESTORE", "FINE"], _deadlines(), True,
     False, "楼道、消防通道、屋顶等共用部位堆物占用（公共绿地除外）。"),
    ("HOUSEHOLD_WASTE", "违规处置生活垃圾", "ORDER", ["EDUCATE", "ORDER_CORRECT", "FINE"], _deadlines(), True, True,
     "不分类、乱扔小包垃圾：加强教育、督促整改，拒不整改的依法处罚（沪城管执〔2022〕52号）。"),
    ("CONSTRUCTION_WASTE", "违规处置建筑垃圾", "ORDER", ["ORDER_CORRECT", "FINE"], _deadlines(), False, False,
     "装修垃圾乱堆乱倒。"),
    ("GREEN_DAMAGE", "占绿毁绿", "ORDER", ["ORDER_CORRECT", "RESTORE", "FINE"], _deadlines(), False, False,
     "区绿化市容局协助认定（普府办〔2024〕18号 六(三)）。"),
    ("SMALL_ADS", "张贴散发小广告", "ORDER", ["ORDER_CORRECT", "FINE"], _deadlines(), False, False, ""),
    ("PROPERTY_NEGLIGENCE", "物业未履职", "PROPERTY", ["ORDER_CORRECT", "FINE"], _deadlines(), False, False,
     "未及时发现、劝阻、制止、报告业主违法行为；未履行生活垃圾分类、市容环境卫生责任区义务。"
     "拒不履行法定义务的依法处罚并实施联合信用惩戒（沪城管执〔2022〕52号）。"),
    ("EBIKE_PARKING", "电动自行车违规停放", "SAFETY", ["ORDER_CORRECT", "FINE"], _deadlines(VERIFY=1, RECTIFY=3),
     False, True, "楼道、电梯、疏散通道等共用部位停放：一律责令改正（沪城管执〔2022〕52号）。"),
    ("EBIKE_CHARGING", "电动自行车违规充电", "SAFETY", ["ORDER_CORRECT", "FINE"], _deadlines(VERIFY=1, RECTIFY=3),
     False, True, "飞线充电、楼道/室内充电。"),
    ("FACADE_DAMAGE", "破坏房屋外貌", "SAFETY", ["ORDER_CORRECT", "RESTORE", "FINE"], _deadlines(), True, False, ""),
    ("NON_ENFORCEMENT", "非城管执法事项", "NONE", ["REFER"], {"REFER": 1}, False, False,
     "移交主管部门办理（普府办〔2024〕18号 二）。"),
]

# code → [(regulation short name, role, article, penalty, verified, note)]
BASES = {
    "RENOVATION_UNREGISTERED": [
        ("物业规定", "PROHIBITION", "第五十七条", "", True, "事先告知物业服务企业，签订装饰装修管理协议"),
        ("装修办法", "PENALTY", "第三十五条", "责令改正，500元以上1000元以下罚款", False, "物业规定无相应罚则；条款待核实"),
    ],
    "USE_CHANGE": [
        ("物业规定", "PROHIBITION", "第五十八条", "", True, ""),
        ("物业规定", "PENALTY", "第八十六条", "责令限期改正，恢复原状，可处1万元以上5万元以下罚款", True, ""),
    ],
    "GROUP_RENTING": [
        ("租赁管理办法", "PROHIBITION", "第八条", "", False,
         "原始设计的房间为最小出租单位；厨房、卫生间、阳台和地下储藏室不得出租供人员居住；本市每间不超过2人、人均不少于5㎡"),
        ("住房租赁条例", "PENALTY", "", "待核实（业主、承租人、房地产经纪机构及经纪人员）", False, "条文序号待核实"),
    ],
    "STRUCTURE_DAMAGE": [
        ("物业规定", "PROHIBITION", "第五十六条第二款第一项", "", True, ""),
        ("物业规定", "PENALTY", "第八十三条",
         "责令立即改正，恢复原状，可处1万元以上10万元以下罚款；情节严重的，可处10万元以上20万元以下罚款", True, ""),
    ],
    "ILLEGAL_CONSTRUCTION": [
        ("物业规定", "PROHIBITION", "第五十六条第二款第二项", "", True, ""),
        ("物业规定", "PENALTY", "第八十四条", "依照拆违规定予以拆除，可处1万元以上10万元以下罚款", True, ""),
        ("拆违规定", "PENALTY", "第八条", "责令限期拆除决定", True, ""),
        ("拆违规定", "PENALTY", "第十条", "催告；逾期不拆除的由区人民政府决定强制拆除", True, ""),
        ("拆违规定", "PENALTY", "第十一条", "正在搭建的：当场责令停止，暂扣工具，立即拆除", True, ""),
        ("拆违规定", "DUTY", "第七条", "", True, "接报后24小时内到场（正在搭建的2小时内）"),
    ],
    "COMMON_AREA_OCCUPATION": [
        ("物业规定", "PROHIBITION", "第五十六条第二款第四项、第五项", "", True, ""),
        ("物业规定", "PENALTY", "第八十五条",
         "责令改正，恢复原状，可处1000元以上1万元以下罚款；情节严重的，可处1万元以上10万元以下罚款", True, ""),
    ],
    "HOUSEHOLD_WASTE": [
        ("垃圾条例", "PROHIBITION", "第二十四条第一款", "", True, "分类投放"),
        ("垃圾条例", "DUTY", "第二十五条第二项", "", True, "物业服务企业为住宅小区管理责任人"),
        ("垃圾条例", "PENALTY", "第五十七条", "个人混投经责令改正拒不改正的50元以上200元以下；单位5000元以上5万元以下",
         True, "2019 年文本"),
    ],
    "CONSTRUCTION_WASTE": [
        ("建筑垃圾规定", "PROHIBITION", "第二条、第四条", "", False, "第二条含装修垃圾；第四条城管执法部门处罚"),
        ("建筑垃圾规定", "PENALTY", "", "待核实", False, "罚则条文待核实"),
    ],
    "GREEN_DAMAGE": [
        ("绿化条例", "PROHIBITION", "第三十七条", "", True, "损坏绿化"),
        ("绿化条例", "PROHIBITION", "第三十二条", "", True, "占用绿地"),
        ("绿化条例", "PROHIBITION", "第二十九条", "", True, "砍伐树木"),
        ("绿化条例", "PENALTY", "第四十五条", "赔偿金额3倍以上5倍以下罚款", True, "2018 年文本"),
        ("绿化条例", "PENALTY", "第四十四条第二款", "每平方米500元以上2000元以下罚款", True, "2018 年文本"),
        ("绿化条例", "PENALTY", "第四十三条第二款", "5倍以上10倍以下罚款", True, "2018 年文本"),
    ],
    "SMALL_ADS": [
        ("市容条例", "PROHIBITION", "第二十条", "", True, "2022 年修订文本"),
        ("市容条例", "PENALTY", "第二十条",
         "责令改正或清除，警告或100元以上1000元以下罚款；有组织的1万元以上10万元以下；可暂停公布号码的通信", True, ""),
    ],
    "PROPERTY_NEGLIGENCE": [
        ("物业规定", "DUTY", "第五十九条", "", True, "劝阻、制止；无效的24小时内报告业委会和有关行政管理部门"),
        ("物业规定", "PENALTY", "第八十七条", "责令改正，可处1000元以上1万元以下罚款", True, ""),
        ("拆违规定", "DUTY", "第四条第三款", "", True, ""),
        ("垃圾条例", "PENALTY", "第五十八条", "500元以上5000元以下罚款", True, "管理责任人义务"),
    ],
    "EBIKE_PARKING": [
        ("非机动车条例", "PROHIBITION", "第二十九条第二款第一项", "", True, "门厅、走道、楼梯间"),
        ("非机动车条例", "PROHIBITION", "第二十九条第三款", "", True, "电梯"),
        ("非机动车条例", "PENALTY", "第四十四条", "电梯内：200元以上500元以下；共用部位：依物业规定第八十五条（待核实）",
         False, "共用部位适用条款待核实"),
    ],
    "EBIKE_CHARGING": [
        ("非机动车条例", "PROHIBITION", "第二十九条第一款", "", True, "私拉电线"),
        ("非机动车条例", "PROHIBITION", "第二十九条第二款第四项", "", True, "住宅室内"),
        ("非机动车条例", "PENALTY", "第四十四条", "私拉电线50元以上200元以下；室内200元以上500元以下", True, ""),
    ],
    "FACADE_DAMAGE": [
        ("物业规定", "PROHIBITION", "第五十六条第二款第三项", "", True, ""),
        ("物业规定", "PENALTY", "第八十五条",
         "责令改正，恢复原状，可处1000元以上1万元以下罚款；情节严重的，可处1万元以上10万元以下罚款", True, ""),
    ],
    "NON_ENFORCEMENT": [],
}

# English names shown when English is the active language (registry.models.local_name); administrators edit them.
DEPARTMENT_NAMES_EN = {
    "CHENGGUAN": "District Urban Management Enforcement Bureau",
    "HOUSING": "District Housing Administration Bureau",
    "GREENING": "District Greening and City Appearance Bureau",
    "PLANNING": "District Planning and Natural Resources Bureau",
    "JUSTICE": "District Justice Bureau",
    "FIRE": "District Fire and Rescue Detachment",
    "SPORTS": "District Sports Bureau",
    "POLICE": "District Public Security Sub-bureau",
    "STREET": "Sub-district / Town",
}

VIOLATION_TYPE_NAMES_EN = {
    "RENOVATION_UNREGISTERED": "Renovation not registered",
    "USE_CHANGE": "Unauthorised change of property use",
    "GROUP_RENTING": "Group renting",
    "STRUCTURE_DAMAGE": "Damage to the main or load-bearing structure",
    "ILLEGAL_CONSTRUCTION": "Illegal construction",
    "COMMON_AREA_OCCUPATION": "Occupation of common areas",
    "HOUSEHOLD_WASTE": "Improper disposal of household waste",
    "CONSTRUCTION_WASTE": "Improper disposal of construction waste",
    "GREEN_DAMAGE": "Occupying or damaging green space",
    "SMALL_ADS": "Posting or handing out small ads",
    "PROPERTY_NEGLIGENCE": "Property company failing its duties",
    "EBIKE_PARKING": "Improper e-bike parking",
    "EBIKE_CHARGING": "Improper e-bike charging",
    "FACADE_DAMAGE": "Damage to the building's facade",
    "NON_ENFORCEMENT": "Not an enforcement matter",
}

# 罚款幅度 read from the penalty articles above: code → [(regulation short name, article, situation, party kind,
# low, high, unit)]. A type with no row here (群租, 建筑垃圾: their penalty articles are 待核实) cannot be fined until
# the administrator enters the range. Unit "" per case; "M2" per ㎡; "MULTIPLE" times the compensation.
FINE_RANGES = {
    "RENOVATION_UNREGISTERED": [("装修办法", "第三十五条", "一般", "", 500, 1_000, "")],
    "USE_CHANGE": [("物业规定", "第八十六条", "一般", "", 10_000, 50_000, "")],
    "STRUCTURE_DAMAGE": [("物业规定", "第八十三条", "一般", "", 10_000, 100_000, ""),
                         ("物业规定", "第八十三条", "情节严重", "", 100_000, 200_000, "")],
    "ILLEGAL_CONSTRUCTION": [("物业规定", "第八十四条", "一般", "", 10_000, 100_000, "")],
    "COMMON_AREA_OCCUPATION": [("物业规定", "第八十五条", "一般", "", 1_000, 10_000, ""),
                               ("物业规定", "第八十五条", "情节严重", "", 10_000, 100_000, "")],
    "FACADE_DAMAGE": [("物业规定", "第八十五条", "一般", "", 1_000, 10_000, ""),
                      ("物业规定", "第八十五条", "情节严重", "", 10_000, 100_000, "")],
    "HOUSEHOLD_WASTE": [("垃圾条例", "第五十七条", "个人混投，经责令改正拒不改正", "PERSON", 50, 200, ""),
                        ("垃圾条例", "第五十七条", "单位", "ORGANISATION", 5_000, 50_000, "")],
    "GREEN_DAMAGE": [("绿化条例", "第四十五条", "损坏绿化（赔偿金额的倍数）", "", 3, 5, "MULTIPLE"),
                     ("绿化条例", "第四十四条第二款", "占用绿地（每平方米）", "", 500, 2_000, "M2"),
                     ("绿化条例", "第四十三条第二款", "擅自砍伐树木（赔偿金额的倍数）", "", 5, 10, "MULTIPLE")],
    "SMALL_ADS": [("市容条例", "第二十条", "一般", "", 100, 1_000, ""),
                  ("市容条例", "第二十条", "有组织张贴散发", "", 10_000, 100_000, "")],
    "PROPERTY_NEGLIGENCE": [("物业规定", "第八十七条", "物业服务企业未履行义务", "", 1_000, 10_000, ""),
                            ("垃圾条例", "第五十八条", "管理责任人未履行义务", "", 500, 5_000, "")],
    "EBIKE_PARKING": [("非机动车条例", "第四十四条", "电梯内停放", "", 200, 500, "")],
    "EBIKE_CHARGING": [("非机动车条例", "第四十四条", "私拉电线充电", "", 50, 200, ""),
                       ("非机动车条例", "第四十四条", "住宅室内充电", "", 200, 500, "")],
}

# 较大数额罚款 (hearing) and major-case amounts: Shanghai sets them; not verified here, so shipped 待核实 for the
# administrator to confirm (LEGAL.md: "What counts as a 较大数额 fine for a hearing is set by Shanghai").
PENALTY_THRESHOLDS = [
    ("HEARING", "PERSON", 5_000, "待核实：本市较大数额罚款标准（个人）"),
    ("HEARING", "ORGANISATION", 50_000, "待核实：本市较大数额罚款标准（单位）"),
    ("MAJOR", "PERSON", 20_000, "待核实：示例值，由本局按重大行政执法决定法制审核目录设定（个人）"),
    ("MAJOR", "ORGANISATION", 200_000, "待核实：示例值，由本局按重大行政执法决定法制审核目录设定（单位）"),
]
