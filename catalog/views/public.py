from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def product_list(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/product_list.html")
