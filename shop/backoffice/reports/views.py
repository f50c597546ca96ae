"""The back-office dashboard (today's orders, orders to handle, books to reorder, quick links) and the sales
report and the members report (new, ended, active, MRR and churn per month), each with its CSV: staff and
marketing."""

from flask import current_app, render_template, request
from flask_login import current_user

from shop.accounts.access import has_role
from shop.accounts.models import ROLE_ADMIN, ROLE_MARKETING, ROLE_STAFF
from shop.backoffice.reports import bp
from shop.catalogue import stock_admin
from shop.core.settings import get_setting
from shop.core.timeutil import local_today
from shop.courses import approvals
from shop.reports import courses as course_reports
from shop.reports import dashboard, sales
from shop.reports import membership as member_reports
from shop.reports import tax as tax_reports
from shop.web.downloads import csv_download

QUICK_LINKS = (  # (endpoint, label, roles): shown when the endpoint exists and the user has the role
    ("phone.new_order", "Take a phone order", (ROLE_STAFF,)),
    ("desk.orders", "Orders to handle", (ROLE_STAFF,)),
    ("stock.books", "Adjust stock", (ROLE_STAFF,)),
    ("courses_admin.learners", "Find a learner (courses, certificates)", (ROLE_STAFF,)),
    ("catalogue_admin.new_product_choice", "Add a product", (ROLE_MARKETING,)),
    ("marketing.promotions", "Promotions", (ROLE_MARKETING,)),
    ("reports.members", "Members report (new, ended, MRR, churn)", (ROLE_STAFF, ROLE_MARKETING)),
    ("users.index", "Users and roles", (ROLE_ADMIN,)),
)


def _tz():
    return current_app.config["SHOP_TIMEZONE"]


@bp.get("/", endpoint="dashboard")
def dashboard_page():
    today = local_today(_tz())
    staff = has_role(current_user, ROLE_STAFF)  # staff renew approvals with the boards and issue certificates
    return render_template(
        "backoffice/reports/dashboard.html", counts=dashboard.counts(_tz()), today=today.isoformat(),
        low_stock=stock_admin.low_stock_books(), default_threshold=get_setting("LOW_STOCK_THRESHOLD"),
        quick_links=QUICK_LINKS, today_date=today,
        expiring_approvals=approvals.expiring(today, current_app.config["APPROVAL_WARNING_DAYS"]) if staff else [],
        uncovered_courses=approvals.uncovered_courses(today) if staff else [],
        waiting_certificates=course_reports.waiting_for_certificates() if staff else [],
    )


def _days():
    days = request.args.get("days", sales.PERIODS[0], type=int)
    return days if days in sales.PERIODS else sales.PERIODS[0]


@bp.get("/orders/sales", endpoint="sales")
def sales_page():
    report = sales.sales(_days(), _tz())
    return render_template("backoffice/reports/sales.html", report=report, periods=sales.PERIODS,
                           revenue_chart=sales.chart(report, "revenue"), orders_chart=sales.chart(report, "orders"),
                           channel_labels=sales.CHANNEL_LABELS)


@bp.get("/orders/sales.csv")
def sales_csv():
    report = sales.sales(_days(), _tz())
    filename = f"sales-{report.start.isoformat()}-to-{report.end.isoformat()}.csv"
    return csv_download(sales.sales_csv(report), filename)


@bp.get("/reports/members", endpoint="members")
def members_page():
    report = member_reports.members_report(_tz())
    return render_template("backoffice/reports/members.html", report=report, chart=member_reports.chart(report),
                           channel_labels=member_reports.CHANNEL_LABELS, churn_text=member_reports.churn_text)


@bp.get("/reports/members.csv", endpoint="members_csv")
def members_csv():
    report = member_reports.members_report(_tz())
    filename = f"members-{report.months[0].first_day:%Y-%m}-to-{report.latest.first_day:%Y-%m}.csv"
    return csv_download(member_reports.members_csv(report), filename)


def _year():
    today = local_today(_tz())
    year = request.args.get("year", today.year, type=int)
    return year if 2000 <= year <= today.year else today.year


@bp.get("/reports/tax", endpoint="tax")
def tax_page():
    """Sales tax collected per state and month (for the state returns), with its CSV."""
    year = _year()
    return render_template("backoffice/reports/tax.html", report=tax_reports.tax_report(year, _tz()),
                           years=range(local_today(_tz()).year, 2019, -1))


@bp.get("/reports/tax.csv", endpoint="tax_csv")
def tax_csv():
    report = tax_reports.tax_report(_year(), _tz())
    return csv_download(tax_reports.tax_csv(report), f"sales-tax-{report.year}.csv")
