//! One route per file.

mod compare;
mod home;
mod item;
mod list;
mod not_found;

pub use compare::ComparePage;
pub use home::HomePage;
pub use item::ItemPage;
pub use list::ListPage;
pub use not_found::NotFoundPage;
