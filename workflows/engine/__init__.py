"""The case engine: load BPMN/DMN specs, start and advance cases, persist, fire timers, project
tasks, draw the diagram. It knows no case kind: the runtime hands it a `KindRegistry`."""
