import { render } from "preact";
import { App } from "./components/App";
import "./styles.css";

const root = document.getElementById("app")!;
// The static “loading” line of index.html is not Preact's to diff: clear it before the first render.
root.textContent = "";
render(<App />, root);
