from typing import NoReturn


class ImportRefused(Exception):
    """The Bundle cannot be imported; each problem is (FHIR path, rule)."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__("; ".join(f"{field}: {rule}" for field, rule in problems))
        self.problems = problems

    def lines(self) -> list[str]:
        return [f"{field}: {rule}" for field, rule in self.problems]


def refuse(field: str, rule: str) -> NoReturn:
    raise ImportRefused([(field, rule)])
