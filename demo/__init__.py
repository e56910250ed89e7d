"""The demo district of Putuo: a registry, the demo logins and a year of complaints, cases, duty checks and the
illegal-construction inventory, loaded by `manage.py seed_demo` through the domain apps' public services.

district.py   streets, communities, companies, people and the demo logins (the registry step)
hotline.py    a year of 12345 work orders (through import_hotline), patrol findings and property reports
cases.py      the year's enforcement cases and the referrals of non-enforcement matters
penalty.py    the administrative penalty procedure of their fines: findings, amounts in range, the dated steps
credit.py     property companies' duty checks, negligence cases, points and the joint-punishment list
programme.py  the illegal-construction inventory of the campaign year
backdate.py   the one place that moves rows the services wrote now to the moment their step stands for

Nothing here is dated at or after the moment the demo is loaded."""
