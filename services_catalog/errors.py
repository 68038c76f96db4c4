"""Domain errors; each carries the HTTP status a web surface should answer with."""


class CatalogError(Exception):
    status_code = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFoundError(CatalogError):
    status_code = 404
