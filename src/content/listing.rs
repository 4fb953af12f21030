//! What a list page shows: the items of one kind, narrowed by a tag and a region, in list order;
//! and the one "newest cases first" rule the home page, the list and the prerendered pages share.
//!
//! The filter comes from the address (`/cases?tag=grid-governance&region=辽宁省`), so a filtered
//! list can be shared; an empty value there means no filter.

use super::{Item, Kind, Manifest};

/// A list page's choice: the kind, and optionally one tag id and one province.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listing {
    pub kind: Kind,
    /// A tag id (`grid-governance`); only items carrying it are listed.
    pub tag: Option<String>,
    /// A province (`辽宁省`); only items whose region is in it are listed.
    pub region: Option<String>,
}

impl Listing {
    /// Every item of `kind`, unfiltered.
    pub fn all(kind: Kind) -> Listing {
        Listing {
            kind,
            tag: None,
            region: None,
        }
    }

    /// The listing a query string asks for: an empty `tag` or `region` is no filter.
    pub fn from_query(kind: Kind, tag: Option<String>, region: Option<String>) -> Listing {
        let given = |v: Option<String>| v.filter(|v| !v.is_empty());
        Listing {
            kind,
            tag: given(tag),
            region: given(region),
        }
    }

    /// Whether `item` belongs in this listing. An item without a region (a workflow, a module)
    /// never matches a region filter.
    pub fn matches(&self, item: &Item) -> bool {
        item.kind() == self.kind
            && self.tag.as_ref().is_none_or(|t| item.tags.contains(t))
            && self
                .region
                .as_ref()
                .is_none_or(|r| item.region().is_some_and(|x| &x.province == r))
    }

    /// The items to show, in list order: cases newest first ([`newest_first`]), other kinds as
    /// the manifest lists them.
    ///
    /// ```
    /// use portal::content::listing::Listing;
    /// use portal::content::{Kind, Manifest};
    /// let manifest = Manifest { version: 1, tags: vec![], items: vec![] };
    /// let listing = Listing::from_query(Kind::Case, Some("grid-governance".into()), Some(String::new()));
    /// assert_eq!(listing.region, None);
    /// assert!(listing.items(&manifest).is_empty());
    /// ```
    pub fn items<'m>(&self, manifest: &'m Manifest) -> Vec<&'m Item> {
        let mut items: Vec<&Item> = manifest.items.iter().filter(|i| self.matches(i)).collect();
        if self.kind == Kind::Case {
            newest_first(&mut items);
        }
        items
    }
}

/// Sorts items newest first: by [`Item::practice_date`] (a case's date of practice), then by id,
/// both descending, so the order never depends on the manifest's.
pub fn newest_first(items: &mut [&Item]) {
    items.sort_by(|a, b| (b.practice_date(), &b.id).cmp(&(a.practice_date(), &a.id)));
}

impl Manifest {
    /// The case studies, newest first: the home page shows the first four, the case list all.
    pub fn newest_cases(&self) -> Vec<&Item> {
        Listing::all(Kind::Case).items(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{CaseStudy, Details, Module, Region, MANIFEST_VERSION};

    fn case(id: &str, date: &str, province: &str, tags: &[&str]) -> Item {
        Item {
            id: id.into(),
            title: id.into(),
            summary: String::new(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            updated: "2026-01-01".into(),
            sources: vec![],
            body: format!("content/cases/{id}.json"),
            details: Details::Case(CaseStudy {
                region: Region {
                    province: province.into(),
                    ..Region::default()
                },
                date: date.into(),
                figures: vec![],
            }),
        }
    }

    fn module(id: &str, tags: &[&str]) -> Item {
        Item {
            id: id.into(),
            title: id.into(),
            summary: String::new(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            updated: "2026-01-01".into(),
            sources: vec![],
            body: format!("content/modules/{id}.json"),
            details: Details::Module(Module {
                items: vec![],
                minutes: 10,
                goals: vec![],
                pass_mark: 80,
                questions: 0,
            }),
        }
    }

    fn manifest() -> Manifest {
        Manifest {
            version: MANIFEST_VERSION,
            tags: vec![],
            items: vec![
                case("panjin", "2018-11-02", "辽宁省", &["grid"]),
                module("m-b", &["grid"]),
                case("fengqiao", "1963-11-20", "浙江省", &["grid", "mediation"]),
                case("tongshan", "2024-10-21", "江苏省", &["canteen"]),
                module("m-a", &[]),
                case("beijing", "2017-01", "北京市", &[]),
            ],
        }
    }

    fn ids(items: &[&Item]) -> Vec<String> {
        items.iter().map(|i| i.id.clone()).collect()
    }

    #[test]
    fn cases_are_listed_newest_first() {
        let m = manifest();
        assert_eq!(
            ids(&Listing::all(Kind::Case).items(&m)),
            ["tongshan", "panjin", "beijing", "fengqiao"]
        );
        assert_eq!(
            ids(&m.newest_cases()),
            ids(&Listing::all(Kind::Case).items(&m))
        );
    }

    #[test]
    fn other_kinds_keep_the_manifest_order() {
        let m = manifest();
        assert_eq!(ids(&Listing::all(Kind::Module).items(&m)), ["m-b", "m-a"]);
        assert!(Listing::all(Kind::Workflow).items(&m).is_empty());
    }

    #[test]
    fn the_same_date_falls_back_to_the_id_whatever_the_manifest_order() {
        let a = case("a", "2020-01-01", "辽宁省", &[]);
        let b = case("b", "2020-01-01", "辽宁省", &[]);
        let (mut one, mut other) = (vec![&a, &b], vec![&b, &a]);
        newest_first(&mut one);
        newest_first(&mut other);
        assert_eq!(ids(&one), ["b", "a"]);
        assert_eq!(ids(&one), ids(&other));
    }

    #[test]
    fn tag_and_region_narrow_together() {
        let m = manifest();
        let tagged = Listing::from_query(Kind::Case, Some("grid".into()), None);
        assert_eq!(ids(&tagged.items(&m)), ["panjin", "fengqiao"]);
        let both = Listing::from_query(Kind::Case, Some("grid".into()), Some("浙江省".into()));
        assert_eq!(ids(&both.items(&m)), ["fengqiao"]);
        let nowhere =
            Listing::from_query(Kind::Case, Some("canteen".into()), Some("辽宁省".into()));
        assert!(nowhere.items(&m).is_empty());
    }

    #[test]
    fn empty_query_values_are_no_filter() {
        let m = manifest();
        let listing = Listing::from_query(Kind::Case, Some(String::new()), Some(String::new()));
        assert_eq!(listing, Listing::all(Kind::Case));
        assert_eq!(listing.items(&m).len(), 4);
    }

    #[test]
    fn items_without_a_region_never_match_a_region() {
        let m = manifest();
        let listing = Listing::from_query(Kind::Module, None, Some("辽宁省".into()));
        assert!(listing.items(&m).is_empty());
        let tagged = Listing::from_query(Kind::Module, Some("grid".into()), None);
        assert_eq!(ids(&tagged.items(&m)), ["m-b"]);
    }
}
