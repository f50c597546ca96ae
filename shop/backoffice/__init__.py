"""The staff back office: phone orders, the order desk, call log, catalogue and stock, reports, audit."""
