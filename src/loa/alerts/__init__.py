"""Alerts: rules on coverage of monitored organisations and saved queries, alerts raised
once per trigger, and their delivery (in-app, e-mail, webhook) with escalation."""
