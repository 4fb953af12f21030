//! What the progress rules need to know about content: which items exist, their titles, a
//! workflow's step count and a module's items and pass mark.
//!
//! A trait rather than the manifest itself, so the rules can run before the manifest has loaded
//! ([`NoCatalog`]) and tests can describe content in a few lines.

use crate::content::{Details, Manifest, Module, Ref};

/// The pass mark of a module whose own is missing or out of range.
pub const DEFAULT_PASS_MARK: u8 = 80;

/// The content facts the progress rules depend on.
pub trait Catalog {
    /// Every item, in the order lists show them.
    fn items(&self) -> Vec<Ref>;
    /// The item's title, if the item exists.
    fn title(&self, item: &Ref) -> Option<&str>;
    /// How many steps a workflow has; `None` for an unknown item or another kind.
    fn steps(&self, workflow: &Ref) -> Option<usize>;
    /// A module's items, pass mark and question count; `None` for an unknown item.
    fn module(&self, module: &Ref) -> Option<&Module>;

    /// Whether the item exists in this content.
    fn contains(&self, item: &Ref) -> bool {
        self.title(item).is_some()
    }

    /// The module's pass mark in percent, [`DEFAULT_PASS_MARK`] if it has none.
    fn pass_mark(&self, module: &Ref) -> u8 {
        match self.module(module) {
            Some(m) if (1..=100).contains(&m.pass_mark) => m.pass_mark,
            _ => DEFAULT_PASS_MARK,
        }
    }
}

impl Catalog for Manifest {
    fn items(&self) -> Vec<Ref> {
        self.items.iter().map(|i| i.reference()).collect()
    }

    fn title(&self, item: &Ref) -> Option<&str> {
        self.resolve(item).map(|i| i.title.as_str())
    }

    fn steps(&self, workflow: &Ref) -> Option<usize> {
        match &self.resolve(workflow)?.details {
            Details::Workflow(w) => Some(w.steps),
            _ => None,
        }
    }

    fn module(&self, module: &Ref) -> Option<&Module> {
        match &self.resolve(module)?.details {
            Details::Module(m) => Some(m),
            _ => None,
        }
    }
}

/// No content known (the manifest has not loaded): cases and communities still complete when
/// read, but workflows and modules cannot be judged complete.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoCatalog;

impl Catalog for NoCatalog {
    fn items(&self) -> Vec<Ref> {
        Vec::new()
    }
    fn title(&self, _: &Ref) -> Option<&str> {
        None
    }
    fn steps(&self, _: &Ref) -> Option<usize> {
        None
    }
    fn module(&self, _: &Ref) -> Option<&Module> {
        None
    }
}
