//! One route per file.

mod compare;
mod home;
mod item;
pub(crate) mod list;
mod not_found;
mod record;
mod search;

pub use compare::ComparePage;
pub use home::HomePage;
pub use item::ItemPage;
pub use list::ListPage;
pub use not_found::NotFoundPage;
pub use record::RecordPage;
pub use search::{search_href, SearchPage};
