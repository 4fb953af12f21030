use leptos::prelude::*;
use leptos_router::components::A;

use crate::content::quiz::Question;

/// A module's self-check quiz, shown for reading: each question with its options and, folded,
/// the answer, the explanation and a link to the passage it tests.
#[component]
pub fn QuizView(questions: Vec<Question>, pass_mark: u8) -> impl IntoView {
    let total = questions.len();
    view! {
        <section class="quiz" aria-labelledby="quiz-heading">
            <h2 id="quiz-heading">"自测题"</h2>
            <p class="quiz__intro">{format!("共 {total} 题，正确率达到 {pass_mark}% 即为通过。")}</p>
            <ol class="quiz__list">
                {questions
                    .into_iter()
                    .map(|q| {
                        let answer: Vec<String> = q
                            .answer()
                            .into_iter()
                            .map(|i| choice_letter(i).to_string())
                            .collect();
                        view! {
                            <li class="question">
                                <p class="question__text">
                                    <span class="badge">{q.kind.label()}</span>
                                    " "
                                    {q.text.clone()}
                                </p>
                                <ol class="question__choices" type="A">
                                    {q.choices.iter().map(|c| view! { <li>{c.text.clone()}</li> }).collect_view()}
                                </ol>
                                <details class="question__answer">
                                    <summary>"查看答案与解析"</summary>
                                    <p>{format!("答案：{}", answer.join("、"))}</p>
                                    <p>{q.explanation.clone()}</p>
                                    {q.source.clone().map(|r| view! {
                                        <p>"出处：" <A href=r.href()>{q.source_text.clone()}</A></p>
                                    })}
                                </details>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}

/// A, B, C, … for choice `i`.
pub fn choice_letter(i: usize) -> char {
    char::from(b'A' + (i % 26) as u8)
}
