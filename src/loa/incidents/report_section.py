"""The alerts and incidents section of periodic reports: alerts raised, incidents handled and how
fast they were answered; registered with reports from IncidentsConfig.ready."""

from __future__ import annotations

import datetime as dt
import statistics

from django.utils import timezone

from loa.reports.sections import ReportScope, Section, TableData, hours_text, number_text


def incidents_section(scope: ReportScope) -> Section:
    from loa.alerts.models import Alert
    from loa.incidents.models import Incident, IncidentStatus

    section = Section(key="incidents", title="CẢNH BÁO VÀ XỬ LÝ KHỦNG HOẢNG TRUYỀN THÔNG")
    alerts = Alert.objects.filter(scope.units_q("rule__unit"), created_at__gte=scope.start, created_at__lt=scope.end)
    alert_count = alerts.count()
    incidents = list(
        Incident.objects.filter(scope.units_q("unit"), opened_at__gte=scope.start, opened_at__lt=scope.end)
        .select_related("unit")
        .order_by("opened_at")
    )
    responded = [incident for incident in incidents if incident.first_response_at]
    seconds = [(incident.first_response_at - incident.opened_at).total_seconds() for incident in responded]  # type: ignore[operator]
    on_time = [
        incident
        for incident in responded
        if incident.first_response_due is None or incident.first_response_at <= incident.first_response_due  # type: ignore[operator]
    ]
    closed = [incident for incident in incidents if incident.status == IncidentStatus.CLOSED]
    text = (
        f"Trong {scope.period.label}, hệ thống phát {number_text(alert_count)} cảnh báo; "
        f"{number_text(len(incidents))} vụ việc được mở để xử lý theo kịch bản, "
        f"{number_text(len(closed))} vụ việc đã kết thúc."
    )
    if responded:
        median = dt.timedelta(seconds=statistics.median(seconds))
        text += (
            f" Thời gian trung vị đến thông tin phản hồi đầu tiên là {hours_text(median)}"
            f"; {len(on_time)}/{len(responded)} vụ việc phản hồi đúng hạn."
        )
    section.paragraphs.append(text)
    if incidents:
        section.tables.append(
            TableData(
                title="Các vụ việc đã xử lý",
                header=["Vụ việc", "Đơn vị", "Mở ngày", "Phản hồi đầu tiên sau", "Tình trạng"],
                rows=[
                    [
                        incident.title,
                        incident.unit.short_name,
                        timezone.localtime(incident.opened_at).strftime("%d/%m/%Y"),
                        hours_text(incident.first_response_at - incident.opened_at)
                        if incident.first_response_at
                        else "chưa phản hồi",
                        "Đã kết thúc" if incident.status == IncidentStatus.CLOSED else "Đang xử lý",
                    ]
                    for incident in incidents
                ],
            )
        )
    return section
