"""What other apps listen to, so the credit and inventory rules stay in their own apps.

Sent inside the transaction of the write, so a receiver's work commits or rolls back with it.
"""
from django.dispatch import Signal

# After a case moved: kwargs case, move (cases.workflow.Move), source (state before), actor, transition.
case_moved = Signal()
# After a case was opened (from a complaint or by another rule): kwargs case, actor, origin (str).
case_opened = Signal()
# After a fine became final (生效): kwargs fine, actor.
fine_became_final = Signal()
