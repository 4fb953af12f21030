//! The self-check quiz of a module, written in its body after the heading `## 自测题`.
//!
//! ```markdown
//! ### 问题文字？
//! 情景：（可选）某社区党支部有正式党员 9 名……，情景题和计算题都写在这一行
//! 题型：单选 | 多选 | 判断
//! - [ ] 错误选项
//! - [x] 正确选项
//! 解析：为什么。
//! 出处：[链接文字](case:panjin-2018#anchor)
//! ```

use serde::{Deserialize, Serialize};

use super::markdown::{explicit_anchor, sections};
use super::Ref;

/// The heading that starts the quiz section.
pub const QUIZ_HEADING: &str = "自测题";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionKind {
    Single,
    Multiple,
    TrueFalse,
}

impl QuestionKind {
    pub fn label(self) -> &'static str {
        match self {
            QuestionKind::Single => "单选",
            QuestionKind::Multiple => "多选",
            QuestionKind::TrueFalse => "判断",
        }
    }

    fn from_label(s: &str) -> Option<Self> {
        [
            QuestionKind::Single,
            QuestionKind::Multiple,
            QuestionKind::TrueFalse,
        ]
        .into_iter()
        .find(|k| k.label() == s)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub text: String,
    pub correct: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// Stable within a module: `q1`, `q2`, … in order.
    pub id: String,
    pub kind: QuestionKind,
    pub text: String,
    /// The situation a scenario (or calculation) question puts the learner in, shown before the
    /// question; `None` for a question of plain recall. The checker counts scenario questions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    pub choices: Vec<Choice>,
    pub explanation: String,
    /// The link text and the paragraph or step the question tests.
    pub source_text: String,
    pub source: Option<Ref>,
    /// 1-based line of the question in the body.
    pub line: usize,
}

impl Question {
    /// Whether the question puts the learner in a situation (a `情景：` line) rather than asking
    /// for recall.
    pub fn is_scenario(&self) -> bool {
        self.scenario.is_some()
    }

    /// Indexes of the correct choices.
    pub fn answer(&self) -> Vec<usize> {
        self.choices
            .iter()
            .enumerate()
            .filter(|(_, c)| c.correct)
            .map(|(i, _)| i)
            .collect()
    }
}

/// A problem in a quiz, with its body line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuizProblem {
    pub line: usize,
    pub message: String,
    pub field: &'static str,
}

/// Splits a module body into the guide (before `## 自测题`) and the quiz part's start line.
pub fn split_guide(body: &str) -> (&str, Option<usize>) {
    let mut offset = 0;
    for (i, line) in body.split_inclusive('\n').enumerate() {
        let t = line.trim();
        if t.strip_prefix("## ").map(str::trim) == Some(QUIZ_HEADING) {
            return (&body[..offset], Some(i + 1));
        }
        offset += line.len();
    }
    (body, None)
}

fn labelled<'a>(line: &'a str, label: &str) -> Option<&'a str> {
    let rest = line.trim().strip_prefix(label)?.trim_start();
    rest.strip_prefix('：')
        .or_else(|| rest.strip_prefix(':'))
        .map(str::trim)
}

fn choice(line: &str) -> Option<(bool, &str)> {
    let t = line.trim_start();
    let t = t.strip_prefix("- ").or_else(|| t.strip_prefix("* "))?;
    let t = t.trim_start();
    if let Some(rest) = t.strip_prefix("[x]").or_else(|| t.strip_prefix("[X]")) {
        Some((true, rest.trim()))
    } else {
        t.strip_prefix("[ ]").map(|rest| (false, rest.trim()))
    }
}

/// `[文字](ref)` → (文字, ref).
fn link(text: &str) -> Option<(&str, &str)> {
    let text = text.trim();
    let inner = text.strip_prefix('[')?;
    let (label, rest) = inner.split_once("](")?;
    let target = rest.strip_suffix(')')?;
    Some((label, target))
}

/// Reads the quiz of a module body. Returns the questions that could be read and every problem.
/// A body without `## 自测题` has no quiz (and no problem: the checker decides whether one is needed).
///
/// ```
/// let body = "导引\n\n## 自测题\n\n### 支委会一般多久召开一次？\n题型：单选\n- [ ] 每季度\n- [x] 每月\n解析：条例规定一般每月召开 1 次。\n出处：[三会一课](workflow:sanhui-yike)\n";
/// let (qs, problems) = portal::content::quiz::parse(body);
/// assert!(problems.is_empty(), "{problems:?}");
/// assert_eq!(qs[0].answer(), vec![1]);
/// assert_eq!(qs[0].source.as_ref().unwrap().id, "sanhui-yike");
/// ```
pub fn parse(body: &str) -> (Vec<Question>, Vec<QuizProblem>) {
    let mut questions = Vec::new();
    let mut problems = Vec::new();
    let Some(start) = split_guide(body).1 else {
        return (questions, problems);
    };
    let quiz_lines: String = body.lines().skip(start).collect::<Vec<_>>().join("\n");
    let offset = start;
    let mut parts = sections(&quiz_lines, 3).into_iter();
    if let Some(before) = parts.next() {
        for &(n, line) in &before.lines {
            if !line.trim().is_empty() {
                problems.push(QuizProblem {
                    line: n + offset,
                    message: "自测题部分的每道题都应以“### 题目”开头".into(),
                    field: "quiz",
                });
                break;
            }
        }
    }
    for part in parts {
        let line = part.line + offset;
        let mut p = |n: usize, message: String, field: &'static str| {
            problems.push(QuizProblem {
                line: n,
                message,
                field,
            })
        };
        let text = explicit_anchor(part.heading.unwrap_or_default())
            .0
            .to_string();
        if text.is_empty() {
            p(line, "题目文字为空".into(), "question");
        }
        let mut kind = None;
        let mut scenario: Option<String> = None;
        let mut choices = Vec::new();
        let mut explanation = None;
        let mut source = None;
        for &(n, l) in &part.lines {
            let n = n + offset;
            if l.trim().is_empty() {
                continue;
            }
            if let Some(v) = labelled(l, "情景") {
                if kind.is_some() || !choices.is_empty() || scenario.is_some() {
                    p(
                        n,
                        "“情景：…”应写在题目标题之后、“题型”之前，且只写一次".into(),
                        "情景",
                    );
                } else if v.is_empty() {
                    p(n, "“情景：”后面没有内容".into(), "情景");
                } else {
                    scenario = Some(v.to_string());
                }
            } else if let Some(prev) = scenario
                .as_mut()
                .filter(|_| kind.is_none() && choices.is_empty() && labelled(l, "题型").is_none())
            {
                // A long situation may continue on the next lines, up to 题型.
                prev.push_str(l.trim());
            } else if let Some(v) = labelled(l, "题型") {
                match QuestionKind::from_label(v) {
                    Some(k) => kind = Some(k),
                    None => p(
                        n,
                        format!("未知题型“{v}”，应为“单选”“多选”或“判断”"),
                        "题型",
                    ),
                }
            } else if let Some((correct, t)) = choice(l) {
                if t.is_empty() {
                    p(n, "选项内容为空".into(), "options");
                }
                choices.push(Choice {
                    text: t.to_string(),
                    correct,
                });
            } else if let Some(v) = labelled(l, "解析") {
                explanation = Some(v.to_string());
            } else if let Some(v) = labelled(l, "出处") {
                match link(v) {
                    Some((label, target)) => match target.parse::<Ref>() {
                        Ok(r) => source = Some((label.to_string(), r, n)),
                        Err(e) => p(n, format!("出处链接“{target}”无效：{e}"), "出处"),
                    },
                    None => p(
                        n,
                        "出处应写成“出处：[链接文字](case:id#锚点)”".into(),
                        "出处",
                    ),
                }
            } else if let Some(prev) = explanation.as_mut().filter(|_| source.is_none()) {
                // A long explanation may continue on the next lines.
                prev.push_str(l.trim());
            } else {
                p(
                    n,
                    format!(
                        "无法识别的一行：“{}”（应为 情景/题型/选项/解析/出处）",
                        l.trim().chars().take(30).collect::<String>()
                    ),
                    "quiz",
                );
            }
        }
        let Some(kind) = kind else {
            p(
                line,
                format!("题目“{text}”缺少“题型：单选/多选/判断”"),
                "题型",
            );
            continue;
        };
        let correct = choices.iter().filter(|c| c.correct).count();
        if choices.len() < 2 {
            p(line, format!("题目“{text}”至少需要 2 个选项"), "options");
        }
        match kind {
            QuestionKind::Single if correct != 1 => p(
                line,
                format!("单选题“{text}”应恰有 1 个正确答案（[x]），现有 {correct} 个"),
                "options",
            ),
            QuestionKind::Multiple if correct < 2 => p(
                line,
                format!("多选题“{text}”应至少有 2 个正确答案（[x]），现有 {correct} 个"),
                "options",
            ),
            QuestionKind::TrueFalse => {
                let texts: Vec<&str> = choices.iter().map(|c| c.text.as_str()).collect();
                if texts != ["正确", "错误"] && texts != ["错误", "正确"] || correct != 1 {
                    p(
                        line,
                        format!("判断题“{text}”应有“正确”“错误”两个选项，其中一个标 [x]"),
                        "options",
                    )
                }
            }
            _ => {}
        }
        if explanation.as_deref().is_none_or(str::is_empty) {
            p(line, format!("题目“{text}”缺少“解析：…”"), "解析");
        }
        if source.is_none() {
            p(
                line,
                format!("题目“{text}”缺少“出处：[文字](case:id#锚点)”"),
                "出处",
            );
        }
        let (source_text, source) = match source {
            Some((t, r, _)) => (t, Some(r)),
            None => (String::new(), None),
        };
        questions.push(Question {
            id: format!("q{}", questions.len() + 1),
            kind,
            text,
            scenario,
            choices,
            explanation: explanation.unwrap_or_default(),
            source_text,
            source,
            line,
        });
    }
    (questions, problems)
}

/// How many of the questions are scenario or calculation questions (`情景：` lines).
///
/// ```
/// let body = "## 自测题\n### 会议是否有效？\n情景：支部有正式党员 9 名，到会 5 名。\n题型：判断\n- [x] 正确\n- [ ] 错误\n解析：超过半数。\n出处：[三会一课](workflow:sanhui-yike)\n";
/// let (qs, problems) = portal::content::quiz::parse(body);
/// assert!(problems.is_empty(), "{problems:?}");
/// assert_eq!(portal::content::quiz::scenario_count(&qs), 1);
/// ```
pub fn scenario_count(questions: &[Question]) -> usize {
    questions.iter().filter(|q| q.is_scenario()).count()
}

/// How many scenario or calculation questions a quiz of `total` questions needs: a third,
/// rounded up, so that a module tests applying its rules and not only recalling them.
///
/// ```
/// use portal::content::quiz::scenarios_needed;
/// assert_eq!(scenarios_needed(8), 3);
/// assert_eq!(scenarios_needed(9), 3);
/// assert_eq!(scenarios_needed(1), 1);
/// ```
pub fn scenarios_needed(total: usize) -> usize {
    total.div_ceil(3)
}

/// Where each quiz source link is, for the checker to resolve: (line, reference).
pub fn source_lines(questions: &[Question]) -> impl Iterator<Item = (usize, &Ref)> {
    questions
        .iter()
        .filter_map(|q| q.source.as_ref().map(|r| (q.line, r)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "导引\n\n## 自测题\n\n### 甲？\n题型：多选\n- [x] 一\n- [x] 二\n- [ ] 三\n解析：因为。\n接着说明。\n出处：[盘锦](case:panjin-2018#x)\n\n### 乙？\n题型：判断\n- [ ] 正确\n- [x] 错误\n解析：不对。\n出处：[盘锦](case:panjin-2018)\n";

    #[test]
    fn reads_all_question_kinds() {
        let (qs, p) = parse(GOOD);
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(qs.len(), 2);
        assert_eq!(qs[0].kind, QuestionKind::Multiple);
        assert_eq!(qs[0].answer(), vec![0, 1]);
        assert_eq!(qs[0].explanation, "因为。接着说明。");
        assert_eq!(qs[0].line, 5);
        assert_eq!(qs[1].id, "q2");
        assert_eq!(qs[1].answer(), vec![1]);
        assert_eq!(split_guide(GOOD).0, "导引\n\n");
    }

    #[test]
    fn reports_missing_answer_and_empty_option() {
        let body =
            "## 自测题\n### 问？\n题型：单选\n- [ ] \n- [ ] 乙\n解析：x\n出处：[a](case:a)\n";
        let (_, p) = parse(body);
        let found: Vec<_> = p.iter().map(|p| (p.line, p.field)).collect();
        assert!(found.contains(&(4, "options")), "{p:?}");
        assert!(found.contains(&(2, "options")), "{p:?}");
        assert!(p.iter().any(|p| p.message.contains("恰有 1 个正确答案")));
    }

    #[test]
    fn reports_missing_kind_explanation_and_source() {
        let (_, p) = parse("## 自测题\n### 问？\n- [x] 甲\n- [ ] 乙\n");
        assert!(p.iter().any(|p| p.field == "题型"), "{p:?}");
        let (_, p) = parse("## 自测题\n### 问？\n题型：单选\n- [x] 甲\n- [ ] 乙\n");
        assert!(p.iter().any(|p| p.field == "解析"), "{p:?}");
        assert!(p.iter().any(|p| p.field == "出处"), "{p:?}");
    }

    #[test]
    fn reads_a_scenario_over_several_lines() {
        let body = "## 自测题\n### 表决是否通过？\n情景：某支部有正式党员 9 名、预备党员 2 名，\n到会正式党员 6 名。\n题型：判断\n- [x] 正确\n- [ ] 错误\n解析：赞成超过应到会有表决权党员的半数。\n出处：[a](case:a)\n\n### 乙？\n题型：判断\n- [ ] 正确\n- [x] 错误\n解析：x\n出处：[a](case:a)\n";
        let (qs, p) = parse(body);
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(
            qs[0].scenario.as_deref(),
            Some("某支部有正式党员 9 名、预备党员 2 名，到会正式党员 6 名。")
        );
        assert!(!qs[1].is_scenario());
        assert_eq!(scenario_count(&qs), 1);
    }

    #[test]
    fn a_scenario_after_the_kind_or_empty_is_reported() {
        let (_, p) = parse("## 自测题\n### 问？\n题型：单选\n情景：晚了\n- [x] 甲\n- [ ] 乙\n解析：x\n出处：[a](case:a)\n");
        assert!(p.iter().any(|p| p.field == "情景" && p.line == 4), "{p:?}");
        let (_, p) = parse("## 自测题\n### 问？\n情景：\n题型：单选\n- [x] 甲\n- [ ] 乙\n解析：x\n出处：[a](case:a)\n");
        assert!(p.iter().any(|p| p.field == "情景" && p.line == 3), "{p:?}");
    }

    #[test]
    fn no_quiz_section_means_no_questions() {
        assert_eq!(parse("只有正文"), (vec![], vec![]));
    }
}
