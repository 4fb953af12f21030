//! A workflow's steps, read from its body by the editors' convention: each `##` heading is a step;
//! list items `- 责任人：…`, `- 时限：…`, `- 材料：…` are its fields; the rest is its description.

use super::markdown::{explicit_anchor, plain_text, sections, slug};

/// One step of a workflow, as the checklist shows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Step {
    pub title: String,
    pub anchor: String,
    /// Who does it (`责任人`).
    pub who: String,
    /// Time limit (`时限`), where one applies.
    pub time_limit: Option<String>,
    /// Materials or records to keep (`材料`).
    pub materials: Option<String>,
    /// What to do, as markdown.
    pub description: String,
    /// 1-based line of the step's heading in the body.
    pub line: usize,
}

/// A workflow body split into its introduction and steps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Steps {
    pub intro: String,
    pub steps: Vec<Step>,
}

/// A problem in a workflow body, with the body line it is on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepProblem {
    pub line: usize,
    pub message: String,
    pub field: &'static str,
}

const FIELDS: [(&str, &str); 3] = [
    ("责任人", "who"),
    ("时限", "time_limit"),
    ("材料", "materials"),
];

fn field_line(line: &str) -> Option<(&'static str, String)> {
    let t = line.trim_start();
    let t = t
        .strip_prefix("- ")
        .or_else(|| t.strip_prefix("* "))
        .or_else(|| t.strip_prefix("+ "))?;
    let t = t.trim_start();
    for (name, key) in FIELDS {
        if let Some(rest) = t.strip_prefix(name) {
            let rest = rest.trim_start();
            if let Some(value) = rest.strip_prefix('：').or_else(|| rest.strip_prefix(':')) {
                return Some((key, value.trim().to_string()));
            }
        }
    }
    None
}

/// Reads the steps of a workflow body; problems are returned beside whatever could be read, so the
/// app can still show a slightly broken workflow and the checker can report every problem.
///
/// ```
/// let body = "引言。\n\n## 确定议题\n- 责任人：支部委员会\n- 时限：会前 3 天\n征求党员意见，确定议题。\n\n## 召开会议\n- 责任人：支部书记\n按议程开会。\n";
/// let (w, problems) = portal::content::workflow::parse(body);
/// assert!(problems.is_empty());
/// assert_eq!(w.steps.len(), 2);
/// assert_eq!(w.steps[0].who, "支部委员会");
/// assert_eq!(w.steps[0].time_limit.as_deref(), Some("会前 3 天"));
/// assert_eq!(w.steps[0].description, "征求党员意见，确定议题。");
/// ```
pub fn parse(body: &str) -> (Steps, Vec<StepProblem>) {
    let mut parts = sections(body, 2).into_iter();
    let intro = parts
        .next()
        .map(|s| join(&s.lines))
        .unwrap_or_default()
        .trim()
        .to_string();
    let mut steps = Vec::new();
    let mut problems = Vec::new();
    for part in parts {
        let heading = part.heading.unwrap_or_default();
        let (title, explicit) = explicit_anchor(heading);
        let title = plain_text(title);
        let mut step = Step {
            anchor: explicit.map(str::to_string).unwrap_or_else(|| slug(&title)),
            title,
            who: String::new(),
            time_limit: None,
            materials: None,
            description: String::new(),
            line: part.line,
        };
        let mut rest = Vec::new();
        let mut has_who = false;
        for &(n, line) in &part.lines {
            match field_line(line) {
                Some((key, value)) => {
                    if value.is_empty() {
                        problems.push(StepProblem {
                            line: n,
                            message: format!("步骤“{}”的字段内容为空", step.title),
                            field: key,
                        });
                    }
                    match key {
                        "who" => {
                            has_who = true;
                            step.who = value
                        }
                        "time_limit" => step.time_limit = Some(value),
                        _ => step.materials = Some(value),
                    }
                }
                None => rest.push((n, line)),
            }
        }
        step.description = join(&rest).trim().to_string();
        if step.title.is_empty() {
            problems.push(StepProblem {
                line: part.line,
                message: "步骤标题为空".into(),
                field: "steps",
            });
        }
        if !has_who {
            problems.push(StepProblem {
                line: part.line,
                message: format!("步骤“{}”缺少“- 责任人：…”一行", step.title),
                field: "who",
            });
        }
        if step.description.is_empty() {
            problems.push(StepProblem {
                line: part.line,
                message: format!("步骤“{}”缺少说明文字（做什么、怎么做）", step.title),
                field: "description",
            });
        }
        steps.push(step);
    }
    if steps.len() < 2 {
        problems.push(StepProblem {
            line: 1,
            message: format!(
                "流程至少需要 2 个步骤（每个步骤以“## 步骤名称”开头），现有 {} 个",
                steps.len()
            ),
            field: "steps",
        });
    }
    (Steps { intro, steps }, problems)
}

fn join(lines: &[(usize, &str)]) -> String {
    lines.iter().map(|(_, l)| *l).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_accept_both_colons_and_materials() {
        let (w, p) = parse(
            "## 一、通知\n* 责任人:组织委员\n- 材料：通知单\n提前通知。\n## 开会 {#kaihui}\n- 责任人：书记\n开。\n",
        );
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(w.steps[0].anchor, "一通知");
        assert_eq!(w.steps[0].who, "组织委员");
        assert_eq!(w.steps[0].materials.as_deref(), Some("通知单"));
        assert_eq!(w.steps[1].anchor, "kaihui");
        assert_eq!(w.steps[1].title, "开会");
    }

    #[test]
    fn missing_who_and_description_are_reported_with_lines() {
        let (_, p) = parse("引言\n\n## 甲\n- 时限：3 天\n\n## 乙\n- 责任人：\n说明\n");
        let msgs: Vec<_> = p.iter().map(|p| (p.line, p.field)).collect();
        assert!(msgs.contains(&(3, "who")), "{p:?}");
        assert!(msgs.contains(&(3, "description")), "{p:?}");
        assert!(msgs.contains(&(7, "who")), "empty value: {p:?}");
    }

    #[test]
    fn a_single_step_is_not_a_workflow() {
        let (_, p) = parse("## 唯一\n- 责任人：甲\n做。\n");
        assert_eq!(p.len(), 1);
        assert!(p[0].message.contains("至少需要 2 个步骤"));
    }
}
