"""Orders: lines, payments, stock reservations, status changes and the order timeline."""
