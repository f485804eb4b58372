"""Views of the commitments app: public.py for citizens, staff.py for the staff area."""
