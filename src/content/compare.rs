//! Comparing model communities side by side: which ones are chosen (kept in the address,
//! `?ids=a,b`), and the table's rows, one per fact label.

use super::{Community, Details, Item, Kind, Manifest};

/// The most communities one table compares; more would not fit a phone.
pub const MAX_COMPARED: usize = 4;

/// The fewest communities that make a comparison.
pub const MIN_COMPARED: usize = 2;

/// The chosen community ids, in the order they were chosen, without repeats, at most
/// [`MAX_COMPARED`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection(Vec<String>);

impl Selection {
    /// Reads the `ids` value of the address: ids separated by commas; empty ones and repeats are
    /// skipped, and only the first [`MAX_COMPARED`] count.
    ///
    /// ```
    /// use portal::content::compare::Selection;
    /// let s = Selection::from_query("a,,b,a,c,d,e");
    /// assert_eq!(s.ids(), ["a", "b", "c", "d"]);
    /// assert_eq!(s.toggled("b", false).to_query(), "a,c,d");
    /// ```
    pub fn from_query(ids: &str) -> Selection {
        let mut chosen: Vec<String> = Vec::new();
        for id in ids.split(',').filter(|x| !x.is_empty()) {
            if chosen.len() == MAX_COMPARED {
                break;
            }
            if !chosen.iter().any(|c| c == id) {
                chosen.push(id.to_string());
            }
        }
        Selection(chosen)
    }

    /// The value for the address's `ids`.
    pub fn to_query(&self) -> String {
        self.0.join(",")
    }

    pub fn ids(&self) -> &[String] {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, id: &str) -> bool {
        self.0.iter().any(|x| x == id)
    }

    /// Whether `id` can be chosen now: it already is, or there is room for one more.
    pub fn can_choose(&self, id: &str) -> bool {
        self.contains(id) || self.len() < MAX_COMPARED
    }

    /// The selection with `id` chosen (last) or not. Choosing beyond [`MAX_COMPARED`] changes
    /// nothing.
    pub fn toggled(&self, id: &str, on: bool) -> Selection {
        let mut ids: Vec<String> = self.0.iter().filter(|x| *x != id).cloned().collect();
        if on && ids.len() < MAX_COMPARED {
            ids.push(id.to_string());
        }
        Selection(ids)
    }

    /// The chosen communities found in the manifest, in the selection's order; unknown ids are
    /// left out.
    pub fn communities<'m>(&self, manifest: &'m Manifest) -> Vec<(&'m Item, &'m Community)> {
        self.0
            .iter()
            .filter_map(|id| {
                let item = manifest.item(Kind::Community, id)?;
                match &item.details {
                    Details::Community(c) => Some((item, c)),
                    _ => None,
                }
            })
            .collect()
    }
}

/// One row of the comparison table: a fact's label, and its value with unit for each
/// community, `None` where a community does not give it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub label: String,
    pub cells: Vec<Option<String>>,
}

/// The comparison table's rows: one per fact label, in the order labels are first seen (the
/// first community's facts, then new ones of the next), one cell per community. Fewer than
/// [`MIN_COMPARED`] communities make no table.
pub fn rows(communities: &[&Community]) -> Vec<Row> {
    if communities.len() < MIN_COMPARED {
        return Vec::new();
    }
    let mut labels: Vec<&str> = Vec::new();
    for f in communities.iter().flat_map(|c| c.facts.iter()) {
        if !labels.contains(&f.label.as_str()) {
            labels.push(&f.label);
        }
    }
    labels
        .into_iter()
        .map(|label| Row {
            label: label.to_string(),
            cells: communities
                .iter()
                .map(|c| {
                    c.facts
                        .iter()
                        .find(|f| f.label == label)
                        .map(|f| format!("{} {}", f.value_text(), f.unit).trim().to_string())
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Figure, Region, MANIFEST_VERSION};

    fn fact(label: &str, value: f64, unit: &str) -> Figure {
        Figure {
            label: label.into(),
            value,
            unit: unit.into(),
            note: None,
        }
    }

    fn community(facts: Vec<Figure>) -> Community {
        Community {
            region: Region::default(),
            sample: false,
            facts,
        }
    }

    fn item(id: &str, c: Community) -> Item {
        Item {
            id: id.into(),
            title: id.into(),
            summary: String::new(),
            tags: vec![],
            updated: "2026-01-01".into(),
            sources: vec![],
            body: String::new(),
            details: Details::Community(c),
        }
    }

    #[test]
    fn rows_follow_first_seen_labels_with_gaps() {
        let a = community(vec![
            fact("人口", 7200.0, "人"),
            fact("面积", 1.5, "平方公里"),
        ]);
        let b = community(vec![fact("党员", 310.0, "名"), fact("人口", 12000.0, "人")]);
        let rows = rows(&[&a, &b]);
        let labels: Vec<&str> = rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, ["人口", "面积", "党员"]);
        assert_eq!(
            rows[0].cells,
            [Some("7200 人".to_string()), Some("12000 人".to_string())]
        );
        assert_eq!(rows[1].cells, [Some("1.5 平方公里".to_string()), None]);
        assert_eq!(rows[2].cells, [None, Some("310 名".to_string())]);
    }

    #[test]
    fn a_fact_without_unit_has_no_trailing_space() {
        let a = community(vec![fact("网格数", 12.0, "")]);
        let b = community(vec![]);
        assert_eq!(rows(&[&a, &b])[0].cells, [Some("12".to_string()), None]);
    }

    #[test]
    fn one_community_makes_no_table() {
        let a = community(vec![fact("人口", 1.0, "人")]);
        assert!(rows(&[&a]).is_empty());
        assert!(rows(&[]).is_empty());
    }

    #[test]
    fn toggling_keeps_order_and_the_cap() {
        let s = Selection::from_query("a,b");
        assert_eq!(s.toggled("c", true).ids(), ["a", "b", "c"]);
        assert_eq!(s.toggled("a", true).ids(), ["b", "a"]);
        assert_eq!(s.toggled("a", false).ids(), ["b"]);
        let full = Selection::from_query("a,b,c,d");
        assert!(!full.can_choose("e"));
        assert!(full.can_choose("a"));
        assert_eq!(full.toggled("e", true), full);
        assert_eq!(Selection::from_query(""), Selection::default());
    }

    #[test]
    fn communities_come_in_selection_order_and_unknown_ids_drop() {
        let m = Manifest {
            version: MANIFEST_VERSION,
            tags: vec![],
            items: vec![item("x", community(vec![])), item("y", community(vec![]))],
        };
        let found = Selection::from_query("y,nope,x").communities(&m);
        let ids: Vec<&str> = found.iter().map(|(i, _)| i.id.as_str()).collect();
        assert_eq!(ids, ["y", "x"]);
    }
}
