"""Does a page read at a given width? (issue 14 item 2: tables that read)

``layout_problems(page)`` measures the laid-out page in the browser and lists, in words:

* the page itself wider than the window (a sideways scroll of the whole page);
* an element sticking out of its container, unless a container on the way scrolls sideways
  (``overflow-x: auto``: a wide table in its own scrolling region is the intended shape);
* a word broken inside, in a table cell, a badge or a tag: a word is a run of characters
  between spaces, so a number such as 0001/PPID/X/2026 broken at a slash counts (a hyphen is a
  proper place to break: the parts either side are the words);
* a table cell narrower than its longest word (its content spills out of it);
* a cell holding only a number (digits, with "." "," "%" or "Rp") not right-aligned.

Measured, not assumed: the checks read ``getBoundingClientRect`` and ``Range.getClientRects``
of what Chromium laid out, so a CSS rule that breaks words again is caught on every page the
site walk visits, at 1280 px and 360 px.
"""

from __future__ import annotations

from playwright.sync_api import Page

PHONE = {"width": 360, "height": 800}

MEASURE = r"""() => {
  const problems = [];
  const name = (el) => {
    let text = el.tagName.toLowerCase();
    if (el.id) text += '#' + el.id;
    if (typeof el.className === 'string' && el.className.trim()) text += '.' + el.className.trim().split(/\s+/).join('.');
    const words = (el.innerText || el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return words ? `${text} "${words}"` : text;
  };
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) {
    problems.push(`the page is ${root.scrollWidth} px wide in a ${root.clientWidth} px window`);
  }
  const scrollsSideways = (el) => {
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      const x = getComputedStyle(a).overflowX;
      if (x === 'auto' || x === 'scroll') return true;
    }
    return false;
  };
  // Out of the flow or not shown: itself or an ancestor hidden, positioned absolutely (a
  // visually hidden caption or header row) or fixed, or inside a closed <details>.
  const hidden = (el) => {
    if (el.closest('[hidden], details:not([open]) > :not(summary)')) return true;
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.display === 'none' || style.visibility === 'hidden' || style.position === 'absolute'
          || style.position === 'fixed') return true;
    }
    return false;
  };
  const reported = [];
  for (const el of document.querySelectorAll('body *')) {
    if (reported.some((r) => r.contains(el)) || hidden(el)) continue;
    const parent = el.parentElement;
    if (parent === document.body) continue;
    const box = el.getBoundingClientRect(), outer = parent.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if ((box.right > outer.right + 1 || box.left < outer.left - 1) && !scrollsSideways(parent)) {
      problems.push(`${name(el)} sticks out of ${name(parent)} (${Math.round(box.left)}–${Math.round(box.right)} px `
                    + `in ${Math.round(outer.left)}–${Math.round(outer.right)} px)`);
      reported.push(el);
    }
  }
  const broken = new Set();
  for (const holder of document.querySelectorAll('main td, main th, main .badge, main .tag')) {
    if (hidden(holder)) continue;
    const walker = document.createTreeWalker(holder, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement || hidden(node.parentElement)) continue;
      const text = node.textContent;
      const pattern = /[^\s\-\u2010-\u2014]+/g;
      for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
        if (match[0].length < 2) continue;
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (tops.size > 1 && !broken.has(holder)) {
          problems.push(`"${match[0]}" is broken inside ${name(holder)}`);
          broken.add(holder);
        }
      }
    }
    if ((holder.tagName === 'TD' || holder.tagName === 'TH') && holder.scrollWidth > holder.clientWidth + 1
        && !broken.has(holder)) {
      problems.push(`${name(holder)} is narrower (${holder.clientWidth} px) than its content (${holder.scrollWidth} px)`);
    }
    const words = holder.textContent.trim();
    if (holder.tagName === 'TD' && /^(Rp\s?)?[0-9][0-9.,]*\s?%?$/.test(words)
        && !['right', 'end'].includes(getComputedStyle(holder).textAlign) && !holder.closest('.table-stack')) {
      problems.push(`the number ${name(holder)} is not right-aligned`);
    }
  }
  return problems;
}"""


def layout_problems(page: Page) -> list[str]:
    """What does not read on the page as it is laid out now (see the module's docstring)."""
    return page.evaluate(MEASURE)


def layout_problems_at(page: Page, widths: tuple[dict, ...]) -> list[str]:
    """``layout_problems`` at each viewport size in turn (the page is laid out again, not
    reloaded); the viewport is left at the last size."""
    found = []
    for size in widths:
        page.set_viewport_size(size)
        found.extend(f"at {size['width']} px: {problem}" for problem in layout_problems(page))
    return found
