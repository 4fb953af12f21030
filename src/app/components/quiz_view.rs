use leptos::prelude::*;
use leptos_router::components::A;

use crate::app::browser;
use crate::app::progress_store::use_progress;
use crate::content::quiz::{Question, QuestionKind};
use crate::content::Ref;
use crate::progress::quiz::{choose, is_chosen};
use crate::progress::{score, Answers, Payload, QuizResult};

/// A module's self-check quiz: answer, submit, see the score and review every question with the
/// right answer, the explanation and a link to the passage it tests; retry, with the questions
/// answered wrongly last time first. Every attempt goes into the learning record.
#[component]
pub fn QuizView(module: Ref, questions: Vec<Question>, pass_mark: u8) -> impl IntoView {
    let store = use_progress();
    let total = questions.len();
    let answers: RwSignal<Answers> = RwSignal::new(Answers::new());
    let result: RwSignal<Option<QuizResult>> = RwSignal::new(None);
    let started = StoredValue::new(browser::now());
    let wrong_before = {
        let module = module.clone();
        Memo::new(move |_| store.record.with(|p| p.wrong_questions(&module)))
    };
    let summary = {
        let module = module.clone();
        move || {
            store.record.with(|p| {
                let attempts = p.attempts(&module).len();
                (attempts > 0).then(|| {
                    let best = p.best_score(&module).unwrap_or(0);
                    let passed = if p.quiz_passed(&module) {
                        " · 已通过"
                    } else {
                        ""
                    };
                    format!("已作答 {attempts} 次 · 最高 {best} 分{passed}")
                })
            })
        }
    };
    // Questions answered wrongly last time come first, marked; the order is fixed per attempt.
    let ordered = Memo::new({
        let questions = questions.clone();
        move |_| {
            result.track();
            let wrong = wrong_before.get_untracked();
            let mut qs = questions.clone();
            qs.sort_by_key(|q| !wrong.contains(&q.id));
            qs
        }
    });
    let submit = {
        let questions = questions.clone();
        let module = module.clone();
        move |_| {
            let chosen = answers.get_untracked();
            let r = score(&questions, &chosen, pass_mark);
            let attempt = r.attempt(module.clone(), chosen, started.get_value(), browser::now());
            store.append(Payload::QuizAttempt(attempt));
            result.set(Some(r));
            browser::scroll_to("quiz-heading");
        }
    };
    let retry = move |_| {
        answers.set(Answers::new());
        result.set(None);
        started.set_value(browser::now());
        browser::scroll_to("quiz-heading");
    };

    view! {
        <section class="quiz" aria-labelledby="quiz-heading" id="quiz">
            <h2 id="quiz-heading">"自测题"</h2>
            <p class="quiz__intro">{format!("共 {total} 题，正确率达到 {pass_mark}% 即为通过。")}</p>
            {move || summary().map(|s| view! { <p class="quiz__summary">{s}</p> })}
            {move || result.get().map(|r| {
                let passed = r.passed;
                view! {
                    <div class=if passed { "quiz__result quiz__result--pass" } else { "quiz__result" } role="status">
                        <p class="quiz__score">{format!("本次得分 {} 分（答对 {} / {} 题）", r.percent, r.correct, r.total)}</p>
                        <p>{if passed { "已通过，可以继续学习下一模块。" } else { "未通过。请看下面每题的解析，回到原文复习后再试一次。" }}</p>
                    </div>
                }
            })}
            <ol class="quiz__list">
                <For each=move || ordered.get() key=|q| q.id.clone() let:q>
                    <QuestionView q=q answers=answers result=result wrong_before=wrong_before />
                </For>
            </ol>
            {move || if result.get().is_some() {
                view! { <button type="button" class="button" on:click=retry>"再做一次"</button> }.into_any()
            } else {
                let submit = submit.clone();
                view! {
                    <button type="button" class="button" disabled=!crate::app::browser::LIVE on:click=submit>"提交答案"</button>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn QuestionView(
    q: Question,
    answers: RwSignal<Answers>,
    result: RwSignal<Option<QuizResult>>,
    wrong_before: Memo<Vec<String>>,
) -> impl IntoView {
    let id = q.id.clone();
    let multiple = q.kind == QuestionKind::Multiple;
    let question = StoredValue::new(q.clone());
    let was_wrong = {
        let id = id.clone();
        move || result.get().is_none() && wrong_before.with(|w| w.contains(&id))
    };
    let outcome = {
        let id = id.clone();
        move || {
            result.with(|r| {
                r.as_ref()
                    .and_then(|r| r.questions.iter().find(|x| x.id == id).cloned())
            })
        }
    };
    let legend_id = format!("{id}-text");
    let labelledby = legend_id.clone();
    let choices = q
        .choices
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let input_id = format!("{id}-{i}");
            let label_for = input_id.clone();
            let id1 = id.clone();
            let checked = move || answers.with(|a| is_chosen(a, &id1, i));
            view! {
                <li>
                    <label class="choice" for=label_for>
                        <input
                            type=if multiple { "checkbox" } else { "radio" }
                            id=input_id
                            name=id.clone()
                            disabled=!crate::app::browser::LIVE
                            prop:checked=checked
                            prop:disabled=move || result.get().is_some()
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                question.with_value(|q| answers.update(|a| choose(a, q, i, on)));
                            }
                        />
                        <span>{format!("{}. {}", choice_letter(i), c.text)}</span>
                    </label>
                </li>
            }
        })
        .collect_view();
    let review = {
        let q = q.clone();
        move || {
            outcome().map(|o| {
                let letters = |v: &[usize]| v.iter().map(|i| choice_letter(*i).to_string()).collect::<Vec<_>>().join("、");
                let yours = if o.chosen.is_empty() { "未作答".to_string() } else { letters(&o.chosen) };
                view! {
                    <div class=if o.correct { "review review--right" } else { "review review--wrong" }>
                        <p><strong>{if o.correct { "回答正确" } else { "回答错误" }}</strong>
                            {format!("　你的答案：{yours}　正确答案：{}", letters(&o.answer))}</p>
                        <p>{format!("解析：{}", q.explanation)}</p>
                        {q.source.clone().map(|r| {
                            let text = q.source_text.clone();
                            view! { <p>"出处：" <A href=r.href()>{text}</A></p> }
                        })}
                    </div>
                }
            })
        }
    };
    view! {
        <li class="question" id=format!("question-{id}")>
            <fieldset aria-labelledby=labelledby>
                {q.scenario.clone().map(|s| view! { <p class="question__scenario">{format!("情景：{s}")}</p> })}
                <p class="question__text" id=legend_id>
                    <span class="badge">{q.kind.label()}</span>
                    {move || was_wrong().then(|| view! { " " <span class="badge badge--case">"上次答错"</span> })}
                    " "
                    {q.text.clone()}
                </p>
                <ul class="question__choices">{choices}</ul>
            </fieldset>
            {review}
        </li>
    }
}

/// A, B, C, … for choice `i`.
pub fn choice_letter(i: usize) -> char {
    char::from(b'A' + (i % 26) as u8)
}
