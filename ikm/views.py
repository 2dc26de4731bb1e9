from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def ikm_list(request: HttpRequest) -> HttpResponse:
    return render(request, "ikm/ikm_list.html")
