"""The main screen's sharing parts: other people's layers (show, hide, copy one into
yours) and the Markdown export of your annotations."""

from __future__ import annotations

from reader.core.annotation import make_target
from reader.core.history import Change
from reader.core.inert import inert_name
from reader.ui.widgets.annotation_list import Entry


class SharedLayers:
    """Mixed into MainScreen (it uses the screen's store, layers and panes)."""

    def _layer_entry(self) -> Entry | None:
        entry = self.notes_list.current if self.focused is self.notes_list else None
        if entry is not None and entry.layer:
            return entry
        for layer, resolutions in self.shared_layers:
            if layer.author in self.hidden_layers:
                continue
            for a in layer.annotations:
                r = resolutions[a.id]
                if r.found and r.start <= self.pane.caret < r.end:
                    return Entry(a, r, layer.author)
        return None

    def action_copy_from_layer(self) -> None:
        entry = self._layer_entry()
        if entry is None or self.store is None:
            self.notify(
                "Choose a shared annotation first (annotations pane, or caret on it).", markup=False
            )
            return
        a = entry.annotation
        if self.store.get(a.id) is not None or any(
            x.same_content(a) for x in self.store.annotations
        ):
            self.notify("You already have this annotation.", markup=False)
            return
        r = entry.resolution
        target = make_target(self.doc.text, r.start, r.end) if r.found else a.target
        if self._apply(Change(None, a.edited(target=target), "copy from layer")):
            self.notify(f"Copied {entry.layer}'s annotation into yours.", markup=False)

    def action_layers(self) -> None:
        from reader.ui.screens.layers import LayersScreen

        if not self.shared_layers:
            self.notify(
                "No shared layers for this article (see annotations/README.md).", markup=False
            )
            return

        def done(hidden: set[str] | None) -> None:
            if hidden is not None:
                self.hidden_layers = hidden
                self.refresh_annotations()

        counts = [(layer.author, len(layer.annotations)) for layer, _ in self.shared_layers]
        self.app.push_screen(LayersScreen(counts, self.hidden_layers), done)

    def action_export(self) -> None:
        from reader.core.export import write_digest

        if self.article is None or self.store is None:
            return
        try:
            target = write_digest(self.article.path, self.article.title, self.doc.text, self.store)
        except OSError as err:
            self.notify(f"Cannot export: {inert_name(str(err))}", severity="error", markup=False)
            return
        self.notify(
            f"Exported {len(self.store.annotations)} annotation(s) to {inert_name(str(target))}",
            markup=False,
            timeout=8,
        )
