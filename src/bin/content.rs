//! The content tool: `content check [DIR]` reports every problem in the content files;
//! `content build [DIR] --out OUT [--bundle ROUTE=DIR]…` checks, then writes the manifest and
//! bodies the app fetches, the pages, other bundles (the trainer's) and the service worker;
//! `content headers [DIST]` prints the nginx lines that send the built pages' security policy.

#[cfg(not(target_arch = "wasm32"))]
mod tool {
    use std::path::PathBuf;
    use std::process::ExitCode;

    use portal::check::Checked;
    use portal::site::{check_folder, write_site_with, Bundle};

    const USAGE: &str = "用法：
      content check [内容文件夹]            检查内容（默认 content/）
      content build [内容文件夹] --out 目录 [--bundle 路由=目录]…
                                          检查并生成站点所需的内容文件；--bundle 把另一个程序包
                                          （如培训管理 trainer=target/bundles/trainer）放到该路由下
      content index-docs 文档.json 索引目录    为基准测试语料建索引（[{id, text}]），写入根文件 index.bin 和分片
      content headers [构建目录]             输出发送页面安全策略的 nginx 配置行（默认 dist/）";

    fn print_report(checked: &Checked) {
        for d in &checked.diagnostics {
            eprintln!("{d}");
        }
        eprintln!(
            "检查了 {} 个内容文件：{} 个错误，{} 个警告",
            checked.items.len(),
            checked.errors(),
            checked.warnings()
        );
        let (questions, scenarios) = checked.quiz_totals();
        if questions > 0 {
            eprintln!("学习模块自测题 {questions} 道，其中情景题或计算题 {scenarios} 道");
        }
    }

    /// Builds a search index of a benchmark corpus: a JSON array of `{id, text}`.
    fn index_docs(args: &[String]) -> ExitCode {
        use portal::search::{DocInput, Field, IndexBuilder};
        #[derive(serde::Deserialize)]
        struct Doc {
            id: serde_json::Value,
            text: String,
        }
        let (Some(input), Some(output)) = (args.first(), args.get(1)) else {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        };
        let docs: Vec<Doc> = match std::fs::read_to_string(input)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
        {
            Ok(d) => d,
            Err(e) => {
                eprintln!("无法读取 {input}：{e}");
                return ExitCode::FAILURE;
            }
        };
        let started = std::time::Instant::now();
        let mut builder = IndexBuilder::default();
        for d in &docs {
            let key = match &d.id {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            builder.add(DocInput {
                key,
                parts: vec![(Field::Body, d.text.clone())],
                ..DocInput::default()
            });
        }
        let mut plan = portal::search::index::ShardPlan::default();
        if let Some(kb) = std::env::var("PORTAL_SHARD_KB")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
        {
            plan.term_shard_bytes = kb * 1024;
        }
        let built = builder.build_with(&plan);
        let dir = PathBuf::from(output);
        let written = std::fs::create_dir_all(&dir).and_then(|()| {
            built
                .files
                .iter()
                .try_for_each(|(name, bytes)| std::fs::write(dir.join(name), bytes))
        });
        if let Err(e) = written {
            eprintln!("无法写入 {output}：{e}");
            return ExitCode::FAILURE;
        }
        eprintln!(
            "{} 篇文档，索引 {} 个文件（{} 个词项分片、{} 个正文分片）共 {} 字节，用时 {:.2} 秒",
            docs.len(),
            built.files.len(),
            built.term_shards,
            built.text_shards,
            built.files.iter().map(|(_, b)| b.len()).sum::<usize>(),
            started.elapsed().as_secs_f64()
        );
        ExitCode::SUCCESS
    }

    pub fn main() -> ExitCode {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let mut positional = Vec::new();
        let mut out = None;
        let mut bundles = Vec::new();
        let mut iter = args.iter();
        while let Some(a) = iter.next() {
            match a.as_str() {
                "--out" => out = iter.next().map(PathBuf::from),
                "--bundle" => match iter.next().and_then(|b| Bundle::parse(b)) {
                    Some(b) => bundles.push(b),
                    None => {
                        eprintln!("--bundle 需要“路由=目录”，例如 trainer=target/bundles/trainer\n{USAGE}");
                        return ExitCode::from(2);
                    }
                },
                "-h" | "--help" => {
                    println!("{USAGE}");
                    return ExitCode::SUCCESS;
                }
                _ => positional.push(a.clone()),
            }
        }
        if positional.first().map(String::as_str) == Some("index-docs") {
            return index_docs(&positional[1..]);
        }
        if positional.first().map(String::as_str) == Some("headers") {
            // The nginx lines that send the built pages' security policy (docs/deploy.md).
            let dist = PathBuf::from(positional.get(1).map(String::as_str).unwrap_or("dist"));
            return match portal::site::prerender::csp::server_headers_of_build(&dist) {
                Ok(lines) => {
                    print!("{lines}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            };
        }
        let Some(command) = positional.first() else {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        };
        let root = PathBuf::from(positional.get(1).map(String::as_str).unwrap_or("content"));
        let checked = check_folder(&root);
        print_report(&checked);
        if checked.errors() > 0 {
            eprintln!("内容有错误，未发布。请按上面的提示修改后重试。");
            return ExitCode::FAILURE;
        }
        match command.as_str() {
            "check" => ExitCode::SUCCESS,
            "build" => {
                let Some(out) = out else {
                    eprintln!("build 需要 --out 目录\n{USAGE}");
                    return ExitCode::from(2);
                };
                match write_site_with(&root, &checked, &out, &bundles) {
                    Ok(files) => {
                        let total: u64 = files.values().sum();
                        eprintln!(
                            "已写入 {} 个文件（{total} 字节）到 {}",
                            files.len(),
                            out.display()
                        );
                        ExitCode::SUCCESS
                    }
                    Err(e) => {
                        eprintln!("写入 {} 失败：{e}", out.display());
                        ExitCode::FAILURE
                    }
                }
            }
            other => {
                eprintln!("未知命令“{other}”\n{USAGE}");
                ExitCode::from(2)
            }
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    tool::main()
}

/// The content tool reads the file system; it has nothing to do in a browser.
#[cfg(target_arch = "wasm32")]
fn main() {}
