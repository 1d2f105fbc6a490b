from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "kommunedialog.statistics"
    label = "statistics"
    verbose_name = "Statistics"
