from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
def community_list(request): pass
def community_detail(request, pk): pass
def company_list(request): pass
def company_mine(request): pass
def company_detail(request, pk): pass
def street_list(request): pass
def department_list(request): pass
def violation_type_list(request): pass
