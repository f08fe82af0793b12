from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """A dictionary value by a variable key (templates cannot index by variable)."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def lookup_label(choices, code):
    return dict(choices).get(code, code)
