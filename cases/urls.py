from django.urls import path

from cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("today/", views.workbench, name="workbench"),
    path("board/", views.board, name="board"),
    path("inbox/", views.inbox, name="inbox"),
    path("rechecks/", views.recheck_list, name="rechecks"),
    path("rechecks/<int:pk>/", views.recheck_detail, name="recheck"),
    path("inbox/<int:pk>/<slug:action>/", views.referral_action, name="referral-action"),
    path("from-complaint/<int:complaint_pk>/", views.open_from_complaint, name="open-from-complaint"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/move/<slug:action>/", views.case_move, name="move"),
    path("<int:pk>/assign/", views.case_assign, name="assign"),
    path("<int:pk>/claim/", views.case_claim, name="claim"),
    path("<int:pk>/co-officer/", views.case_co_officer, name="co-officer"),
    path("<int:pk>/in-progress/", views.case_in_progress, name="in-progress"),
    path("<int:pk>/parties/", views.party_add, name="party-add"),
    path("<int:pk>/evidence/", views.evidence_add, name="evidence-add"),
    path("<int:pk>/supervise/", views.supervise, name="supervise"),
    path("<int:pk>/documents/<slug:kind>/", views.document_issue, name="document-issue"),
    path("<int:pk>/fines/", views.fine_impose, name="fine-impose"),
    path("fines/<int:pk>/payment/", views.fine_payment, name="fine-payment"),
    path("fines/<int:pk>/final/", views.fine_final, name="fine-final"),
    path("complaints/<int:complaint_pk>/reply/", views.hotline_reply, name="hotline-reply"),
    path("hotline-replies.xlsx", views.hotline_replies_export, name="hotline-replies-export"),
    path("supervision/<int:pk>/respond/", views.supervision_respond, name="supervision-respond"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence-file"),
    path("documents/<int:pk>/", views.document_file, name="document-file"),
]
