import { render } from "preact";
import { App } from "./components/App";
import "./styles.css";

const root = document.getElementById("app");
if (!root) throw new Error("index.html has no #app element to render into");
// The static “loading” line of index.html is not Preact's to diff: clear it before the first render.
root.textContent = "";
render(<App />, root);
