//! Answering and scoring a quiz: choosing an option, then per question right or wrong, the
//! percent, whether it passed, and the attempt to record.
//!
//! A question counts as right only when the chosen set equals the answer set exactly: picking
//! every option of a multiple-choice question must not score.

use crate::content::quiz::{Question, QuestionKind};
use crate::content::Ref;

use super::model::{Answers, QuizAttempt};

/// How one question was answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuestionResult {
    pub id: String,
    /// The chosen indexes, sorted and without repeats; empty when unanswered.
    pub chosen: Vec<usize>,
    /// The correct indexes.
    pub answer: Vec<usize>,
    pub correct: bool,
}

/// The learner ticks (`on`) or unticks option `choice` of `question`: a single-choice or
/// true/false question keeps only the last option ticked, a multiple-choice one every ticked
/// option. The chosen options stay sorted; an option the question does not have is ignored.
///
/// ```
/// use portal::content::quiz::parse;
/// use portal::progress::quiz::choose;
/// use portal::progress::Answers;
/// let body = "## 自测题\n### 甲？\n题型：多选\n- [x] 一\n- [x] 二\n- [ ] 三\n解析：x\n出处：[a](case:a)\n";
/// let (questions, _) = parse(body);
/// let mut answers = Answers::new();
/// choose(&mut answers, &questions[0], 2, true);
/// choose(&mut answers, &questions[0], 0, true);
/// assert_eq!(answers["q1"], vec![0, 2]);
/// choose(&mut answers, &questions[0], 2, false);
/// assert_eq!(answers["q1"], vec![0]);
/// ```
pub fn choose(answers: &mut Answers, question: &Question, choice: usize, on: bool) {
    if choice >= question.choices.len() {
        return;
    }
    let chosen = answers.entry(question.id.clone()).or_default();
    if question.kind != QuestionKind::Multiple {
        chosen.clear();
    }
    chosen.retain(|x| *x != choice);
    if on {
        chosen.push(choice);
        chosen.sort_unstable();
    }
}

/// Whether option `choice` of the question `question_id` is chosen.
pub fn is_chosen(answers: &Answers, question_id: &str, choice: usize) -> bool {
    answers
        .get(question_id)
        .is_some_and(|chosen| chosen.contains(&choice))
}

/// The result of one submission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuizResult {
    /// One per question, in quiz order.
    pub questions: Vec<QuestionResult>,
    pub correct: usize,
    pub total: usize,
    /// Percent correct, rounded down, so "80 分" never shows for a result below an 80 pass mark.
    pub percent: u8,
    /// Whether the result reaches the pass mark it was scored against (exactly, not after
    /// rounding). A quiz with no questions is never passed: there is nothing to pass.
    pub passed: bool,
}

/// Scores `answers` against `questions` and the module's `pass_mark` (percent). Answers to ids
/// not in the quiz are ignored; a question without an answer is wrong.
///
/// ```
/// use portal::content::quiz::parse;
/// use portal::progress::{score, Answers};
/// let body = "## 自测题\n### 甲？\n题型：多选\n- [x] 一\n- [x] 二\n- [ ] 三\n解析：x\n出处：[a](case:a)\n### 乙？\n题型：单选\n- [ ] 一\n- [x] 二\n解析：x\n出处：[a](case:a)\n";
/// let (questions, _) = parse(body);
/// let answers: Answers = [("q1".into(), vec![1, 0]), ("q2".into(), vec![0])].into();
/// let result = score(&questions, &answers, 80);
/// assert_eq!((result.correct, result.total, result.percent), (1, 2, 50));
/// assert_eq!(result.incorrect(), vec!["q2".to_string()]);
/// assert!(!result.passed);
/// assert!(score(&questions, &answers, 50).passed);
/// ```
pub fn score(questions: &[Question], answers: &Answers, pass_mark: u8) -> QuizResult {
    let results: Vec<QuestionResult> = questions
        .iter()
        .map(|q| {
            let mut chosen = answers.get(&q.id).cloned().unwrap_or_default();
            chosen.sort_unstable();
            chosen.dedup();
            let answer = q.answer();
            QuestionResult {
                id: q.id.clone(),
                correct: !chosen.is_empty() && chosen == answer,
                chosen,
                answer,
            }
        })
        .collect();
    let correct = results.iter().filter(|r| r.correct).count();
    let total = results.len();
    // correct <= total, so the quotient is at most 100; an empty quiz scores 0.
    let percent = (correct * 100)
        .checked_div(total)
        .map_or(0, |p| u8::try_from(p).unwrap_or(100));
    QuizResult {
        questions: results,
        correct,
        total,
        percent,
        passed: total > 0 && correct * 100 >= usize::from(pass_mark) * total,
    }
}

impl QuizResult {
    /// Ids of the questions answered wrongly or not at all, in quiz order.
    pub fn incorrect(&self) -> Vec<String> {
        self.questions
            .iter()
            .filter(|q| !q.correct)
            .map(|q| q.id.clone())
            .collect()
    }

    /// The attempt to record for this result.
    ///
    /// ```
    /// use portal::progress::{score, Answers, Event, Payload};
    /// let result = score(&[], &Answers::new(), 80);
    /// let attempt = result.attempt("module:m".parse().unwrap(), Answers::new(), 1_764_000_000_000, 1_764_000_060_000);
    /// assert!(!attempt.passed);
    /// let event = Event::new("tab1-7", attempt.finished, Payload::QuizAttempt(attempt));
    /// assert!(event.validate().is_ok());
    /// ```
    pub fn attempt(
        &self,
        module: Ref,
        answers: Answers,
        started: u64,
        finished: u64,
    ) -> QuizAttempt {
        QuizAttempt {
            module,
            answers,
            incorrect: self.incorrect(),
            score: self.percent,
            passed: self.passed,
            started,
            finished,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::quiz::{Choice, QuestionKind};

    fn question(id: &str, kind: QuestionKind, correct: &[bool]) -> Question {
        Question {
            id: id.into(),
            kind,
            text: "？".into(),
            scenario: None,
            choices: correct
                .iter()
                .map(|&c| Choice {
                    text: "选项".into(),
                    correct: c,
                })
                .collect(),
            explanation: String::new(),
            source_text: String::new(),
            source: None,
            line: 1,
        }
    }

    fn quiz() -> Vec<Question> {
        vec![
            question("q1", QuestionKind::Single, &[false, true, false]),
            question("q2", QuestionKind::Multiple, &[true, false, true, true]),
            question("q3", QuestionKind::TrueFalse, &[true, false]),
            question("q4", QuestionKind::Single, &[true, false]),
            question("q5", QuestionKind::Single, &[true, false]),
        ]
    }

    fn answers(pairs: &[(&str, &[usize])]) -> Answers {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_vec()))
            .collect()
    }

    #[test]
    fn multiple_choice_needs_exactly_the_right_set() {
        let qs = quiz();
        let subset = score(&qs, &answers(&[("q2", &[0, 2])]), 80);
        assert!(!subset.questions[1].correct);
        let superset = score(&qs, &answers(&[("q2", &[0, 1, 2, 3])]), 80);
        assert!(!superset.questions[1].correct);
        let exact = score(&qs, &answers(&[("q2", &[3, 0, 2, 2])]), 80);
        assert!(exact.questions[1].correct);
        assert_eq!(exact.questions[1].chosen, vec![0, 2, 3]);
    }

    #[test]
    fn single_choice_with_two_picks_is_wrong_and_unanswered_is_wrong() {
        let qs = quiz();
        let r = score(&qs, &answers(&[("q1", &[1, 0])]), 80);
        assert!(!r.questions[0].correct);
        assert!(!r.questions[2].correct);
        assert_eq!(r.questions[2].chosen, Vec::<usize>::new());
    }

    #[test]
    fn percent_rounds_down_and_pass_is_exact() {
        let qs = quiz();
        let four = answers(&[
            ("q1", &[1]),
            ("q2", &[0, 2, 3]),
            ("q3", &[0]),
            ("q4", &[0]),
            ("ignored", &[0]),
        ]);
        let r = score(&qs, &four, 80);
        assert_eq!((r.correct, r.total, r.percent), (4, 5, 80));
        assert!(r.passed);
        assert!(!score(&qs, &four, 81).passed);
        assert_eq!(r.incorrect(), vec!["q5".to_string()]);
        let two = answers(&[("q1", &[1]), ("q3", &[0])]);
        let three = score(&qs[..3], &two, 67);
        assert_eq!(three.percent, 66);
        assert!(!three.passed);
        assert!(score(&qs[..3], &two, 66).passed);
    }

    #[test]
    fn empty_quiz_scores_zero_and_never_passes() {
        let r = score(&[], &Answers::new(), 0);
        assert_eq!((r.percent, r.total), (0, 0));
        assert!(!r.passed);
    }

    #[test]
    fn attempt_carries_result() {
        let qs = quiz();
        let a = answers(&[("q1", &[1])]);
        let r = score(&qs, &a, 80);
        let attempt = r.attempt("module:m".parse().unwrap(), a.clone(), 10, 20);
        assert_eq!(attempt.score, 20);
        assert!(!attempt.passed);
        assert_eq!(attempt.incorrect, vec!["q2", "q3", "q4", "q5"]);
        assert_eq!(attempt.answers, a);
        assert_eq!(attempt.duration(), 10);
    }

    #[test]
    fn a_single_choice_keeps_only_the_last_option_ticked() {
        let qs = quiz();
        let mut a = Answers::new();
        choose(&mut a, &qs[0], 0, true);
        choose(&mut a, &qs[0], 2, true);
        assert_eq!(a["q1"], vec![2]);
        assert!(is_chosen(&a, "q1", 2));
        assert!(!is_chosen(&a, "q1", 0));
        choose(&mut a, &qs[2], 1, true);
        choose(&mut a, &qs[2], 0, true);
        assert_eq!(a["q3"], vec![0]);
    }

    #[test]
    fn a_multiple_choice_keeps_every_ticked_option_sorted() {
        let qs = quiz();
        let mut a = Answers::new();
        for i in [3, 0, 2, 0] {
            choose(&mut a, &qs[1], i, true);
        }
        assert_eq!(a["q2"], vec![0, 2, 3]);
        choose(&mut a, &qs[1], 2, false);
        assert_eq!(a["q2"], vec![0, 3]);
        assert!(score(&qs, &a, 80).questions[1].chosen == vec![0, 3]);
    }

    #[test]
    fn unticking_and_unknown_options_change_nothing_else() {
        let qs = quiz();
        let mut a = answers(&[("q1", &[1])]);
        choose(&mut a, &qs[0], 7, true);
        assert_eq!(a["q1"], vec![1]);
        choose(&mut a, &qs[0], 0, false);
        // Unticking another option of a single-choice question leaves nothing chosen there,
        // as the radio group the browser draws would.
        assert_eq!(a["q1"], Vec::<usize>::new());
        assert!(!is_chosen(&a, "q9", 0));
    }
}
