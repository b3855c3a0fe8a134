"""The site's own pages: legal notices, privacy, cookies, site map, FAQ, robots.txt."""

from django.urls import path

from insigne.pages import views

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
    path("gestion-des-cookies/", views.cookies, name="cookies"),
    path("plan-du-site/", views.sitemap, name="sitemap"),
    path("questions-frequentes/", views.faq, name="faq"),
]
