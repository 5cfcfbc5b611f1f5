import Notebook
let r = NotebookFile.parse(CommandLine.arguments[1])
switch r {
case .failure(let d): print(d)
case .success(let p): for d in p.diagnostics { print(d) }; print(p.notebook.steps.map(\.name), p.notebook.parameters.map{ "\($0.name)=\($0.value) #\($0.description ?? "")" }, p.notebook.inlineResults)
}
