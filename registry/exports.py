"""Columns of the registry exports. Community and street exports use the imports' headers, so an
export can be edited and imported again."""
from accounts.scope import personal_view
from registry.choices import Measure


def community_columns(user):
    """Contacts (project manager, owners' committee) masked as on the page and in the API."""
    see = personal_view(user, "contact")
    return [
        ("名称", "name"),
        ("别名", lambda c: "；".join(a.name for a in c.aliases.all())),
        ("地址", lambda c: "；".join(a.label for a in c.addresses.all())),
        ("街镇", "street.name"),
        ("居委会", "committee.name"),
        ("户数", "households"),
        ("人口", "population"),
        ("物业企业", "property_company.name"),
        ("统一社会信用代码", "property_company.credit_code"),
        ("项目经理", lambda c: see.name(c.project_manager.name) if c.project_manager else ""),
        ("纬度", "lat"),
        ("经度", "lng"),
        ("分级", "grade"),
        ("试点", lambda c: "是" if c.is_pilot else ""),
        ("试点批次", "pilot_batch"),
        ("业委会联系人", lambda c: see.name(c.owners_committee_contact)),
        ("业委会电话", lambda c: see.phone(c.owners_committee_phone)),
        ("建成年份", "built_year"),
    ]


COMPANY_COLUMNS = [
    ("企业名称", "name"),
    ("统一社会信用代码", "credit_code"),
    ("注册地址", "address"),
    ("联系电话", "contact_phone"),
    ("管理小区数", "community_count"),
    ("管理户数", "household_total"),
]

# The first four are import_streets' columns, so a street export can be edited and imported again.
STREET_COLUMNS = [
    ("街镇", "name"),
    ("代码", "code"),
    ("类型", "get_kind_display"),
    ("简称", "short_name"),
    ("小区数", "community_count"),
    ("常住人口", "population"),
    ("人口年份", "population_year"),
]

DEPARTMENT_COLUMNS = [("代码", "code"), ("部门", "name"), ("受理事项", "handles"), ("职责", "duties")]

VIOLATION_TYPE_COLUMNS = [
    ("代码", "code"),
    ("名称", "name"),
    ("问题类别", "get_problem_class_display"),
    ("主管部门", "department.name"),
    ("默认措施", lambda v: "、".join(str(Measure(m).label) if m in Measure.values else m
                                    for m in v.default_measures)),
    ("触发物业履职检查", "triggers_duty_check"),
    ("适用非现场执法", "non_onsite"),
    ("法律依据", lambda v: "；".join(
        f"{b.regulation.title}{b.article or ''}（{b.get_role_display()}{'' if b.verified else '，待核实'}）"
        for b in v.bases.all()
    )),
]
