//! One route per file.

mod assignment;
mod compare;
mod home;
mod item;
pub(crate) mod list;
mod not_found;
mod record;
mod search;
mod tasks;
mod trainer;

pub use assignment::AssignmentPage;
pub use compare::ComparePage;
pub use home::HomePage;
pub use item::ItemPage;
pub use list::ListPage;
pub use not_found::{ElsewherePage, NotFoundPage};
pub use record::{save_file, RecordPage};
pub use search::{search_href, SearchPage};
pub use tasks::{TaskCard, TasksPage};
pub use trainer::TrainerPage;
