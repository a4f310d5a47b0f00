/*
 * Bold, italic and link for the write-ups, intro and conclusion: a small
 * toolbar over each box and Ctrl/⌘+B, I, K. They type the Markdown subset the
 * site renders (core/prose.py): **bold**, *italic*, [text](https://…).
 * Without this script the subset is typed by hand, as the help text says.
 */
"use strict";
{
    const BOXES = 'textarea[name="intro"], textarea[name="conclusion"], textarea[name$="-write_up"]';
    const TOOLS = {
        bold: {label: "Bold", key: "b", text: "B", wrap: ["**", "**"], empty: "bold text"},
        italic: {label: "Italic", key: "i", text: "I", wrap: ["*", "*"], empty: "Film Title"},
        link: {label: "Link", key: "k", text: "Link", wrap: ["[", "](https://)"], empty: "link text"},
    };

    function apply(box, tool) {
        const [before, after] = tool.wrap;
        const start = box.selectionStart, end = box.selectionEnd;
        const inner = box.value.slice(start, end) || tool.empty;
        box.focus();
        // insertText keeps the browser's undo; setRangeText where it is refused.
        if (!document.execCommand("insertText", false, before + inner + after)) {
            box.setRangeText(before + inner + after, start, end, "end");
            box.dispatchEvent(new Event("input", {bubbles: true}));
        }
        if (tool === TOOLS.link) {
            // Ready to type the address over https://
            const url = start + before.length + inner.length + 2;
            box.setSelectionRange(url, url + "https://".length);
        } else {
            box.setSelectionRange(start + before.length, start + before.length + inner.length);
        }
    }

    function addToolbar(box) {
        if (box.name.includes("__prefix__") || box.previousElementSibling?.classList.contains("prose-tools")) return;
        const bar = document.createElement("div");
        bar.className = "prose-tools";
        bar.setAttribute("role", "toolbar");
        bar.setAttribute("aria-label", "Text style");
        bar.setAttribute("aria-controls", box.id);
        for (const [name, tool] of Object.entries(TOOLS)) {
            const button = document.createElement("button");
            button.type = "button";
            button.className = "button prose-" + name;
            button.textContent = tool.text;
            button.title = `${tool.label} (Ctrl+${tool.key.toUpperCase()})`;
            button.setAttribute("aria-label", tool.label);
            button.addEventListener("click", () => apply(box, tool));
            // One Tab stop for the toolbar; the arrow keys move along it.
            button.tabIndex = bar.children.length ? -1 : 0;
            bar.append(button);
        }
        bar.addEventListener("keydown", (event) => {
            if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
            const buttons = [...bar.children];
            const next = buttons[(buttons.indexOf(event.target) + (event.key === "ArrowRight" ? 1 : -1) + buttons.length) % buttons.length];
            event.target.tabIndex = -1;
            next.tabIndex = 0;
            next.focus();
        });
        box.before(bar);
    }

    function init() {
        document.querySelectorAll(BOXES).forEach(addToolbar);
        document.addEventListener("formset:added", (event) => event.target.querySelectorAll(BOXES).forEach(addToolbar));
        document.addEventListener("keydown", (event) => {
            if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey || !event.target.matches(BOXES)) return;
            const tool = Object.values(TOOLS).find((t) => t.key === event.key.toLowerCase());
            if (!tool) return;
            event.preventDefault();
            apply(event.target, tool);
        });
    }

    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
}
