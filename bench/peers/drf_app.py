"""The catalog's two read routes in Django REST Framework, at its idiomatic best: a model over
the catalog's table, ModelSerializer, LimitOffsetPagination, Django's Redis cache, psycopg
with Django's connection pool, JSON renderer only, DEBUG off. Run by `flotilla bench peers`
as `gunicorn drf_app:application -k gthread --workers 2 --threads 8`.

Environment: DATABASE_URL (postgres://…), DB_SCHEMA (the catalog's), REDIS_URL."""

import os
from urllib.parse import unquote, urlparse

import django
from django.conf import settings

database = urlparse(os.environ["DATABASE_URL"])
settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["*"],
    SECRET_KEY="flotilla-bench-peer",
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=["django.contrib.contenttypes", "rest_framework"],
    MIDDLEWARE=[],
    USE_TZ=True,
    DATABASES={"default": {
        "ENGINE": "django.db.backends.postgresql", "NAME": database.path.lstrip("/"), "USER": unquote(database.username or ""),
        "PASSWORD": unquote(database.password or ""), "HOST": database.hostname, "PORT": database.port,
        "OPTIONS": {"options": f"-c search_path={os.environ['DB_SCHEMA']}", "pool": {"min_size": 2, "max_size": 8}},
    }},
    CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}},
    REST_FRAMEWORK={
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
        "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
        "DEFAULT_AUTHENTICATION_CLASSES": [], "DEFAULT_PERMISSION_CLASSES": [], "UNAUTHENTICATED_USER": None,
        "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination", "PAGE_SIZE": 10,
    },
)
django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import models  # noqa: E402
from django.urls import path  # noqa: E402
from rest_framework import generics, serializers  # noqa: E402
from rest_framework.response import Response  # noqa: E402

SORTS = {"price": ("price", "id"), "-price": ("-price", "id"), "created_at": ("created_at", "id"),
         "-created_at": ("-created_at", "id"), "name": ("name", "id"), "-name": ("-name", "id")}
CACHE_TTL_SECONDS = 60


class Product(models.Model):
    id = models.TextField(primary_key=True)
    name = models.TextField()
    brand = models.TextField()
    category = models.TextField()
    price = models.DecimalField(max_digits=12, decimal_places=2)
    stock = models.IntegerField()
    metadata = models.JSONField()
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        app_label = "peers"
        db_table = "products"
        managed = False


class ProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "name", "brand", "category", "price", "stock", "metadata", "created_at", "updated_at"]


class ProductDetail(generics.RetrieveAPIView):
    queryset = Product.objects.all()
    serializer_class = ProductSerializer

    def retrieve(self, request, *args, **kwargs):
        key = f"peer:drf:product:{kwargs['pk']}"
        data = cache.get(key)
        if data is not None:
            return Response({**data, "cached": True}, headers={"X-Cache": "HIT"})
        data = self.get_serializer(self.get_object()).data
        cache.set(key, data, CACHE_TTL_SECONDS)
        return Response({**data, "cached": False}, headers={"X-Cache": "MISS"})


class ProductList(generics.ListAPIView):
    serializer_class = ProductSerializer

    def get_queryset(self):
        query = self.request.query_params
        products = Product.objects.all()
        for parameter, lookup in (("category", "category"), ("brand", "brand"), ("minPrice", "price__gte"), ("maxPrice", "price__lte")):
            if parameter in query:
                products = products.filter(**{lookup: query[parameter]})
        return products.order_by(*SORTS.get(query.get("sort", "created_at"), SORTS["created_at"]))


urlpatterns = [path("products/<str:pk>", ProductDetail.as_view()), path("products", ProductList.as_view())]
application = WSGIHandler()
