"""The scheme's numbers (CreditPolicy) and the points table (CreditRule) per kind of failure.

《上海市物业服务企业和项目经理信用信息管理办法》(revised, in force 2023-07-01) was not found with its point values
or threshold (LEGAL.md): every row ships 待核实 (verified=False) for the administrator to confirm, with the four
sizes of the old 2012 scheme (18, 6, 3, 1 points) as the starting point, as each row's basis says."""
import django.db.models.deletion
from django.db import migrations, models

SCHEME = "《上海市物业服务企业和项目经理信用信息管理办法》（2023年修订）失信行为记分"
SIZES = "分值未查到，参照2012年旧版记分标准四档分值（18、6、3、1分）拟定，待核实"

# code, failure (失信行为), company points, project-manager points, legal basis of the duty
RULES = [
    ("REFUSED_DUTY", "拒不履行法定义务（经责令改正逾期仍不履行）", 18, 6,
     "沪城管执〔2022〕52号：拒不履行法定义务的物业企业依法处罚并实施联合信用惩戒"),
    ("NOT_STOPPED", "未劝阻、制止业主违法行为", 6, 3, "物业规定第五十九条、第八十七条；拆违规定第四条第三款"),
    ("NOT_REPORTED", "未按规定报告业主违法行为（劝阻、制止无效后未在24小时内报告）", 6, 3,
     "物业规定第五十九条、第八十七条"),
    ("NOT_DISCOVERED", "未及时发现业主违法行为", 3, 1, "物业规定第五十九条；沪城管执〔2022〕52号（及时发现、及时上报）"),
    ("WASTE_DUTY", "未履行生活垃圾分类管理责任人义务", 3, 1, "垃圾条例第二十五条第二项、第五十八条；第五十四条第三款"),
    ("SANITATION_ZONE", "未履行市容环境卫生责任区义务", 3, 1, "市容条例（责任区条款待核实）；沪城管执〔2022〕52号"),
]
DEFAULT_RULE = "NOT_STOPPED"


def load(apps, schema_editor):
    """Idempotent; also called by tests.personas.ensure_reference_data after a transactional test's flush."""
    CreditRule = apps.get_model("credit", "CreditRule")
    CreditPolicy = apps.get_model("credit", "CreditPolicy")
    for code, name, company, manager, duty in RULES:
        CreditRule.objects.get_or_create(code=code, defaults={
            "name": name, "company_points": company, "manager_points": manager,
            "basis": f"{SCHEME}；{SIZES}。履职义务：{duty}"[:300], "verified": False, "active": True})
    policy = CreditPolicy.objects.order_by("pk").first()
    if policy is None:
        policy = CreditPolicy.objects.create(window_months=12, threshold=30, expiry_months=24, duty_answer_days=5,
                                             dispute_days=5, dispute_decide_days=5, prior_report_days=90,
                                             verified=False)
    if policy.default_rule_id is None:
        policy.default_rule = CreditRule.objects.get(code=DEFAULT_RULE)
        policy.save(update_fields=["default_rule"])


def unload(apps, schema_editor):
    apps.get_model("credit", "CreditPolicy").objects.all().delete()
    apps.get_model("credit", "CreditRule").objects.filter(code__in=[r[0] for r in RULES]).delete()



class Migration(migrations.Migration):

    dependencies = [
        ('credit', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='creditpolicy',
            name='default_rule',
            field=models.ForeignKey(blank=True, help_text='未经履职检查直接立案的物业未履职案件，案件未指明失信行为时按此记分', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='credit.creditrule', verbose_name='默认失信行为'),
        ),
        migrations.AddField(
            model_name='creditpolicy',
            name='dispute_decide_days',
            field=models.PositiveSmallIntegerField(default=5, help_text='信用管理办法：异议核查5个工作日', verbose_name='异议处理期限（工作日）'),
        ),
        migrations.AddField(
            model_name='creditpolicy',
            name='prior_report_days',
            field=models.PositiveSmallIntegerField(default=90, help_text='企业在投诉之前多少日内通过平台报告同一小区、同一类型的线索，视为已发现并报告', verbose_name='事先报告追溯期（日）'),
        ),
        migrations.AddField(
            model_name='historicalcreditpolicy',
            name='default_rule',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='未经履职检查直接立案的物业未履职案件，案件未指明失信行为时按此记分', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='credit.creditrule', verbose_name='默认失信行为'),
        ),
        migrations.AddField(
            model_name='historicalcreditpolicy',
            name='dispute_decide_days',
            field=models.PositiveSmallIntegerField(default=5, help_text='信用管理办法：异议核查5个工作日', verbose_name='异议处理期限（工作日）'),
        ),
        migrations.AddField(
            model_name='historicalcreditpolicy',
            name='prior_report_days',
            field=models.PositiveSmallIntegerField(default=90, help_text='企业在投诉之前多少日内通过平台报告同一小区、同一类型的线索，视为已发现并报告', verbose_name='事先报告追溯期（日）'),
        ),
        migrations.AlterField(
            model_name='creditpolicy',
            name='dispute_days',
            field=models.PositiveSmallIntegerField(default=5, help_text='记分之日起，企业可提出异议的工作日数', verbose_name='异议期限（工作日）'),
        ),
        migrations.AlterField(
            model_name='historicalcreditpolicy',
            name='dispute_days',
            field=models.PositiveSmallIntegerField(default=5, help_text='记分之日起，企业可提出异议的工作日数', verbose_name='异议期限（工作日）'),
        ),
        migrations.RunPython(load, unload),
    ]
