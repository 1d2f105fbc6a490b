from django.urls import path

from kommunedialog.statistics import views

app_name = "statistics"
urlpatterns = [
    path("indikatorer/", views.catalogue_page, name="catalogue"),
    path("sammenslaing/", views.what_if_show, name="what_if_show"),
]
