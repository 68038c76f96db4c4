"""Operations: Prometheus metrics, the request id and structured logs."""
