"""Rendering templates in a sandbox: a template may read the data it is given, nothing
else (no attribute access to internals, no imports), and a missing variable is an error
named in the answer rather than an empty string in a citizen's mail."""

from __future__ import annotations

from dataclasses import dataclass

from jinja2 import StrictUndefined, TemplateError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

TEXT_ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
HTML_ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)
MAX_OUTPUT = 1_000_000  # characters per part: a loop in a template must not fill the disk


class RenderError(ValueError):
    def __init__(self, part: str, problem: str):
        super().__init__(f"{part}: {problem}")
        self.part = part
        self.problem = problem


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def check_syntax(source: str, *, part: str, html: bool = False) -> None:
    try:
        (HTML_ENV if html else TEXT_ENV).parse(source)
    except TemplateError as error:
        raise RenderError(part, f"template syntax error: {error}") from None


def render_part(source: str, data: dict, *, part: str, html: bool = False) -> str:
    if not source:
        return ""
    env = HTML_ENV if html else TEXT_ENV
    try:
        output = env.from_string(source).render(**data)
    except UndefinedError as error:
        raise RenderError(part, f"missing variable: {error.message}") from None
    except TemplateError as error:  # includes SecurityError from the sandbox
        raise RenderError(part, str(error)) from None
    except (TypeError, ValueError, ArithmeticError, KeyError, IndexError) as error:
        raise RenderError(part, f"{type(error).__name__}: {error}") from None
    if len(output) > MAX_OUTPUT:
        raise RenderError(part, "the rendered text is too long")
    return output


def render(subject: str, text: str, html: str, data: dict) -> Rendered:
    rendered_subject = render_part(subject, data, part="subject").strip()
    if "\n" in rendered_subject or "\r" in rendered_subject:
        raise RenderError("subject", "the subject may not contain a line break")
    return Rendered(
        subject=rendered_subject,
        text=render_part(text, data, part="text"),
        html=render_part(html, data, part="html", html=True),
    )
