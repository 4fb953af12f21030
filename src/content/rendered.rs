//! A body as the app shows it, rendered by the content tool at build time: safe HTML from the
//! core's markdown renderer, a workflow's steps and a module's questions already parsed. The app
//! fetches this JSON instead of the markdown, so the browser carries no markdown parser.

use serde::{Deserialize, Serialize};

use super::{markdown, quiz, workflow, Kind};
use crate::content::quiz::Question;
use crate::content::workflow::Step;

/// What the app needs to show a body.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderedBody {
    /// Safe HTML: the whole body (case, community), a workflow's introduction or a module's
    /// study guide. Raw HTML in the markdown was turned into text by the renderer.
    pub html: String,
    /// A workflow's steps; each step's `description` is safe HTML here, not markdown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
    /// A module's self-check questions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<Question>,
}

impl RenderedBody {
    /// Renders a body of the given kind (its front matter already removed).
    ///
    /// ```
    /// use portal::content::{rendered::RenderedBody, Kind};
    /// let r = RenderedBody::render(Kind::Case, "正文<script>alert(1)</script>");
    /// assert!(!r.html.contains("<script>"));
    /// ```
    pub fn render(kind: Kind, body: &str) -> RenderedBody {
        let base = kind.asset_base();
        match kind {
            Kind::Workflow => {
                let (parsed, _) = workflow::parse(body);
                // One set of anchors for the page, in document order (introduction, then each
                // step's heading and description), as the checker's scan of the whole body has
                // them: a step's id is checked like a heading's and never repeats one.
                let mut anchors = markdown::Anchors::default();
                let html = markdown::render_with(&parsed.intro, &base, &mut anchors);
                let steps = parsed
                    .steps
                    .into_iter()
                    .map(|s| {
                        let anchor = anchors.assign(Some(&s.anchor), &s.title);
                        let description =
                            markdown::render_with(&s.description, &base, &mut anchors);
                        Step {
                            anchor,
                            description,
                            ..s
                        }
                    })
                    .collect();
                RenderedBody {
                    html,
                    steps,
                    questions: Vec::new(),
                }
            }
            Kind::Module => {
                let (guide, _) = quiz::split_guide(body);
                let (questions, _) = quiz::parse(body);
                RenderedBody {
                    html: markdown::render(guide, &base),
                    steps: Vec::new(),
                    questions,
                }
            }
            Kind::Case | Kind::Community => RenderedBody {
                html: markdown::render(body, &base),
                ..RenderedBody::default()
            },
        }
    }

    /// Reads the JSON the content tool wrote.
    pub fn from_json(text: &str) -> Result<RenderedBody, serde_json::Error> {
        serde_json::from_str(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_steps_carry_rendered_html_and_round_trip() {
        let body = "引言 **重点**\n\n## 第一步：准备\n\n- 责任人：支部书记\n- 时限：会前3天\n\n通知党员<b>参会</b>。\n";
        let r = RenderedBody::render(Kind::Workflow, body);
        assert!(r.html.contains("<strong>重点</strong>"), "{}", r.html);
        assert_eq!(r.steps.len(), 1);
        assert_eq!(r.steps[0].who, "支部书记");
        assert!(r.steps[0].description.contains("<p>"));
        assert!(!r.steps[0].description.contains("<b>"));
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(RenderedBody::from_json(&json).unwrap(), r);
    }

    #[test]
    fn bad_json_is_an_error() {
        assert!(RenderedBody::from_json("<html>").is_err());
        assert!(RenderedBody::from_json("{\"steps\": 3}").is_err());
    }
}
