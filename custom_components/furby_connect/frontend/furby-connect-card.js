/* furby-connect-card: built from card/src by `npm run build` (esbuild); do not edit. */
var le=Object.defineProperty;var ce=(s,t,e)=>t in s?le(s,t,{enumerable:!0,configurable:!0,writable:!0,value:e}):s[t]=e;var u=(s,t,e)=>ce(s,typeof t!="symbol"?t+"":t,e);var W=globalThis,V=W.ShadowRoot&&(W.ShadyCSS===void 0||W.ShadyCSS.nativeShadow)&&"adoptedStyleSheets"in Document.prototype&&"replace"in CSSStyleSheet.prototype,et=Symbol(),wt=new WeakMap,R=class{constructor(t,e,i){if(this._$cssResult$=!0,i!==et)throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");this.cssText=t,this.t=e}get styleSheet(){let t=this.o,e=this.t;if(V&&t===void 0){let i=e!==void 0&&e.length===1;i&&(t=wt.get(e)),t===void 0&&((this.o=t=new CSSStyleSheet).replaceSync(this.cssText),i&&wt.set(e,t))}return t}toString(){return this.cssText}},xt=s=>new R(typeof s=="string"?s:s+"",void 0,et),st=(s,...t)=>{let e=s.length===1?s[0]:t.reduce((i,o,n)=>i+(r=>{if(r._$cssResult$===!0)return r.cssText;if(typeof r=="number")return r;throw Error("Value passed to 'css' function must be a 'css' function result: "+r+". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.")})(o)+s[n+1],s[0]);return new R(e,s,et)},St=(s,t)=>{if(V)s.adoptedStyleSheets=t.map(e=>e instanceof CSSStyleSheet?e:e.styleSheet);else for(let e of t){let i=document.createElement("style"),o=W.litNonce;o!==void 0&&i.setAttribute("nonce",o),i.textContent=e.cssText,s.appendChild(i)}},it=V?s=>s:s=>s instanceof CSSStyleSheet?(t=>{let e="";for(let i of t.cssRules)e+=i.cssText;return xt(e)})(s):s;var{is:he,defineProperty:de,getOwnPropertyDescriptor:ue,getOwnPropertyNames:pe,getOwnPropertySymbols:fe,getPrototypeOf:ge}=Object,j=globalThis,At=j.trustedTypes,me=At?At.emptyScript:"",_e=j.reactiveElementPolyfillSupport,T=(s,t)=>s,ot={toAttribute(s,t){switch(t){case Boolean:s=s?me:null;break;case Object:case Array:s=s==null?s:JSON.stringify(s)}return s},fromAttribute(s,t){let e=s;switch(t){case Boolean:e=s!==null;break;case Number:e=s===null?null:Number(s);break;case Object:case Array:try{e=JSON.parse(s)}catch{e=null}}return e}},Ct=(s,t)=>!he(s,t),Et={attribute:!0,type:String,converter:ot,reflect:!1,useDefault:!1,hasChanged:Ct};Symbol.metadata??=Symbol("metadata"),j.litPropertyMetadata??=new WeakMap;var _=class extends HTMLElement{static addInitializer(t){this._$Ei(),(this.l??=[]).push(t)}static get observedAttributes(){return this.finalize(),this._$Eh&&[...this._$Eh.keys()]}static createProperty(t,e=Et){if(e.state&&(e.attribute=!1),this._$Ei(),this.prototype.hasOwnProperty(t)&&((e=Object.create(e)).wrapped=!0),this.elementProperties.set(t,e),!e.noAccessor){let i=Symbol(),o=this.getPropertyDescriptor(t,i,e);o!==void 0&&de(this.prototype,t,o)}}static getPropertyDescriptor(t,e,i){let{get:o,set:n}=ue(this.prototype,t)??{get(){return this[e]},set(r){this[e]=r}};return{get:o,set(r){let a=o?.call(this);n?.call(this,r),this.requestUpdate(t,a,i)},configurable:!0,enumerable:!0}}static getPropertyOptions(t){return this.elementProperties.get(t)??Et}static _$Ei(){if(this.hasOwnProperty(T("elementProperties")))return;let t=ge(this);t.finalize(),t.l!==void 0&&(this.l=[...t.l]),this.elementProperties=new Map(t.elementProperties)}static finalize(){if(this.hasOwnProperty(T("finalized")))return;if(this.finalized=!0,this._$Ei(),this.hasOwnProperty(T("properties"))){let e=this.properties,i=[...pe(e),...fe(e)];for(let o of i)this.createProperty(o,e[o])}let t=this[Symbol.metadata];if(t!==null){let e=litPropertyMetadata.get(t);if(e!==void 0)for(let[i,o]of e)this.elementProperties.set(i,o)}this._$Eh=new Map;for(let[e,i]of this.elementProperties){let o=this._$Eu(e,i);o!==void 0&&this._$Eh.set(o,e)}this.elementStyles=this.finalizeStyles(this.styles)}static finalizeStyles(t){let e=[];if(Array.isArray(t)){let i=new Set(t.flat(1/0).reverse());for(let o of i)e.unshift(it(o))}else t!==void 0&&e.push(it(t));return e}static _$Eu(t,e){let i=e.attribute;return i===!1?void 0:typeof i=="string"?i:typeof t=="string"?t.toLowerCase():void 0}constructor(){super(),this._$Ep=void 0,this.isUpdatePending=!1,this.hasUpdated=!1,this._$Em=null,this._$Ev()}_$Ev(){this._$ES=new Promise(t=>this.enableUpdating=t),this._$AL=new Map,this._$E_(),this.requestUpdate(),this.constructor.l?.forEach(t=>t(this))}addController(t){(this._$EO??=new Set).add(t),this.renderRoot!==void 0&&this.isConnected&&t.hostConnected?.()}removeController(t){this._$EO?.delete(t)}_$E_(){let t=new Map,e=this.constructor.elementProperties;for(let i of e.keys())this.hasOwnProperty(i)&&(t.set(i,this[i]),delete this[i]);t.size>0&&(this._$Ep=t)}createRenderRoot(){let t=this.shadowRoot??this.attachShadow(this.constructor.shadowRootOptions);return St(t,this.constructor.elementStyles),t}connectedCallback(){this.renderRoot??=this.createRenderRoot(),this.enableUpdating(!0),this._$EO?.forEach(t=>t.hostConnected?.())}enableUpdating(t){}disconnectedCallback(){this._$EO?.forEach(t=>t.hostDisconnected?.())}attributeChangedCallback(t,e,i){this._$AK(t,i)}_$ET(t,e){let i=this.constructor.elementProperties.get(t),o=this.constructor._$Eu(t,i);if(o!==void 0&&i.reflect===!0){let n=(i.converter?.toAttribute!==void 0?i.converter:ot).toAttribute(e,i.type);this._$Em=t,n==null?this.removeAttribute(o):this.setAttribute(o,n),this._$Em=null}}_$AK(t,e){let i=this.constructor,o=i._$Eh.get(t);if(o!==void 0&&this._$Em!==o){let n=i.getPropertyOptions(o),r=typeof n.converter=="function"?{fromAttribute:n.converter}:n.converter?.fromAttribute!==void 0?n.converter:ot;this._$Em=o;let a=r.fromAttribute(e,n.type);this[o]=a??this._$Ej?.get(o)??a,this._$Em=null}}requestUpdate(t,e,i,o=!1,n){if(t!==void 0){let r=this.constructor;if(o===!1&&(n=this[t]),i??=r.getPropertyOptions(t),!((i.hasChanged??Ct)(n,e)||i.useDefault&&i.reflect&&n===this._$Ej?.get(t)&&!this.hasAttribute(r._$Eu(t,i))))return;this.C(t,e,i)}this.isUpdatePending===!1&&(this._$ES=this._$EP())}C(t,e,{useDefault:i,reflect:o,wrapped:n},r){i&&!(this._$Ej??=new Map).has(t)&&(this._$Ej.set(t,r??e??this[t]),n!==!0||r!==void 0)||(this._$AL.has(t)||(this.hasUpdated||i||(e=void 0),this._$AL.set(t,e)),o===!0&&this._$Em!==t&&(this._$Eq??=new Set).add(t))}async _$EP(){this.isUpdatePending=!0;try{await this._$ES}catch(e){Promise.reject(e)}let t=this.scheduleUpdate();return t!=null&&await t,!this.isUpdatePending}scheduleUpdate(){return this.performUpdate()}performUpdate(){if(!this.isUpdatePending)return;if(!this.hasUpdated){if(this.renderRoot??=this.createRenderRoot(),this._$Ep){for(let[o,n]of this._$Ep)this[o]=n;this._$Ep=void 0}let i=this.constructor.elementProperties;if(i.size>0)for(let[o,n]of i){let{wrapped:r}=n,a=this[o];r!==!0||this._$AL.has(o)||a===void 0||this.C(o,void 0,n,a)}}let t=!1,e=this._$AL;try{t=this.shouldUpdate(e),t?(this.willUpdate(e),this._$EO?.forEach(i=>i.hostUpdate?.()),this.update(e)):this._$EM()}catch(i){throw t=!1,this._$EM(),i}t&&this._$AE(e)}willUpdate(t){}_$AE(t){this._$EO?.forEach(e=>e.hostUpdated?.()),this.hasUpdated||(this.hasUpdated=!0,this.firstUpdated(t)),this.updated(t)}_$EM(){this._$AL=new Map,this.isUpdatePending=!1}get updateComplete(){return this.getUpdateComplete()}getUpdateComplete(){return this._$ES}shouldUpdate(t){return!0}update(t){this._$Eq&&=this._$Eq.forEach(e=>this._$ET(e,this[e])),this._$EM()}updated(t){}firstUpdated(t){}};_.elementStyles=[],_.shadowRootOptions={mode:"open"},_[T("elementProperties")]=new Map,_[T("finalized")]=new Map,_e?.({ReactiveElement:_}),(j.reactiveElementVersions??=[]).push("2.1.2");var dt=globalThis,Lt=s=>s,q=dt.trustedTypes,kt=q?q.createPolicy("lit-html",{createHTML:s=>s}):void 0,Pt="$lit$",$=`lit$${Math.random().toFixed(9).slice(2)}$`,Ut="?"+$,be=`<${Ut}>`,x=document,N=()=>x.createComment(""),P=s=>s===null||typeof s!="object"&&typeof s!="function",ut=Array.isArray,$e=s=>ut(s)||typeof s?.[Symbol.iterator]=="function",nt=`[ 	
\f\r]`,M=/<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g,Ot=/-->/g,Rt=/>/g,y=RegExp(`>|${nt}(?:([^\\s"'>=/]+)(${nt}*=${nt}*(?:[^ 	
\f\r"'\`<>=]|("|')|))|$)`,"g"),Tt=/'/g,Mt=/"/g,Dt=/^(?:script|style|textarea|title)$/i,pt=s=>(t,...e)=>({_$litType$:s,strings:t,values:e}),h=pt(1),Ke=pt(2),Ye=pt(3),S=Symbol.for("lit-noChange"),d=Symbol.for("lit-nothing"),Nt=new WeakMap,w=x.createTreeWalker(x,129);function It(s,t){if(!ut(s)||!s.hasOwnProperty("raw"))throw Error("invalid template strings array");return kt!==void 0?kt.createHTML(t):t}var ve=(s,t)=>{let e=s.length-1,i=[],o,n=t===2?"<svg>":t===3?"<math>":"",r=M;for(let a=0;a<e;a++){let l=s[a],p,f,c=-1,m=0;for(;m<l.length&&(r.lastIndex=m,f=r.exec(l),f!==null);)m=r.lastIndex,r===M?f[1]==="!--"?r=Ot:f[1]!==void 0?r=Rt:f[2]!==void 0?(Dt.test(f[2])&&(o=RegExp("</"+f[2],"g")),r=y):f[3]!==void 0&&(r=y):r===y?f[0]===">"?(r=o??M,c=-1):f[1]===void 0?c=-2:(c=r.lastIndex-f[2].length,p=f[1],r=f[3]===void 0?y:f[3]==='"'?Mt:Tt):r===Mt||r===Tt?r=y:r===Ot||r===Rt?r=M:(r=y,o=void 0);let b=r===y&&s[a+1].startsWith("/>")?" ":"";n+=r===M?l+be:c>=0?(i.push(p),l.slice(0,c)+Pt+l.slice(c)+$+b):l+$+(c===-2?a:b)}return[It(s,n+(s[e]||"<?>")+(t===2?"</svg>":t===3?"</math>":"")),i]},U=class s{constructor({strings:t,_$litType$:e},i){let o;this.parts=[];let n=0,r=0,a=t.length-1,l=this.parts,[p,f]=ve(t,e);if(this.el=s.createElement(p,i),w.currentNode=this.el.content,e===2||e===3){let c=this.el.content.firstChild;c.replaceWith(...c.childNodes)}for(;(o=w.nextNode())!==null&&l.length<a;){if(o.nodeType===1){if(o.hasAttributes())for(let c of o.getAttributeNames())if(c.endsWith(Pt)){let m=f[r++],b=o.getAttribute(c).split($),B=/([.?@])?(.*)/.exec(m);l.push({type:1,index:n,name:B[2],strings:b,ctor:B[1]==="."?at:B[1]==="?"?lt:B[1]==="@"?ct:L}),o.removeAttribute(c)}else c.startsWith($)&&(l.push({type:6,index:n}),o.removeAttribute(c));if(Dt.test(o.tagName)){let c=o.textContent.split($),m=c.length-1;if(m>0){o.textContent=q?q.emptyScript:"";for(let b=0;b<m;b++)o.append(c[b],N()),w.nextNode(),l.push({type:2,index:++n});o.append(c[m],N())}}}else if(o.nodeType===8)if(o.data===Ut)l.push({type:2,index:n});else{let c=-1;for(;(c=o.data.indexOf($,c+1))!==-1;)l.push({type:7,index:n}),c+=$.length-1}n++}}static createElement(t,e){let i=x.createElement("template");return i.innerHTML=t,i}};function C(s,t,e=s,i){if(t===S)return t;let o=i!==void 0?e._$Co?.[i]:e._$Cl,n=P(t)?void 0:t._$litDirective$;return o?.constructor!==n&&(o?._$AO?.(!1),n===void 0?o=void 0:(o=new n(s),o._$AT(s,e,i)),i!==void 0?(e._$Co??=[])[i]=o:e._$Cl=o),o!==void 0&&(t=C(s,o._$AS(s,t.values),o,i)),t}var rt=class{constructor(t,e){this._$AV=[],this._$AN=void 0,this._$AD=t,this._$AM=e}get parentNode(){return this._$AM.parentNode}get _$AU(){return this._$AM._$AU}u(t){let{el:{content:e},parts:i}=this._$AD,o=(t?.creationScope??x).importNode(e,!0);w.currentNode=o;let n=w.nextNode(),r=0,a=0,l=i[0];for(;l!==void 0;){if(r===l.index){let p;l.type===2?p=new D(n,n.nextSibling,this,t):l.type===1?p=new l.ctor(n,l.name,l.strings,this,t):l.type===6&&(p=new ht(n,this,t)),this._$AV.push(p),l=i[++a]}r!==l?.index&&(n=w.nextNode(),r++)}return w.currentNode=x,o}p(t){let e=0;for(let i of this._$AV)i!==void 0&&(i.strings!==void 0?(i._$AI(t,i,e),e+=i.strings.length-2):i._$AI(t[e])),e++}},D=class s{get _$AU(){return this._$AM?._$AU??this._$Cv}constructor(t,e,i,o){this.type=2,this._$AH=d,this._$AN=void 0,this._$AA=t,this._$AB=e,this._$AM=i,this.options=o,this._$Cv=o?.isConnected??!0}get parentNode(){let t=this._$AA.parentNode,e=this._$AM;return e!==void 0&&t?.nodeType===11&&(t=e.parentNode),t}get startNode(){return this._$AA}get endNode(){return this._$AB}_$AI(t,e=this){t=C(this,t,e),P(t)?t===d||t==null||t===""?(this._$AH!==d&&this._$AR(),this._$AH=d):t!==this._$AH&&t!==S&&this._(t):t._$litType$!==void 0?this.$(t):t.nodeType!==void 0?this.T(t):$e(t)?this.k(t):this._(t)}O(t){return this._$AA.parentNode.insertBefore(t,this._$AB)}T(t){this._$AH!==t&&(this._$AR(),this._$AH=this.O(t))}_(t){this._$AH!==d&&P(this._$AH)?this._$AA.nextSibling.data=t:this.T(x.createTextNode(t)),this._$AH=t}$(t){let{values:e,_$litType$:i}=t,o=typeof i=="number"?this._$AC(t):(i.el===void 0&&(i.el=U.createElement(It(i.h,i.h[0]),this.options)),i);if(this._$AH?._$AD===o)this._$AH.p(e);else{let n=new rt(o,this),r=n.u(this.options);n.p(e),this.T(r),this._$AH=n}}_$AC(t){let e=Nt.get(t.strings);return e===void 0&&Nt.set(t.strings,e=new U(t)),e}k(t){ut(this._$AH)||(this._$AH=[],this._$AR());let e=this._$AH,i,o=0;for(let n of t)o===e.length?e.push(i=new s(this.O(N()),this.O(N()),this,this.options)):i=e[o],i._$AI(n),o++;o<e.length&&(this._$AR(i&&i._$AB.nextSibling,o),e.length=o)}_$AR(t=this._$AA.nextSibling,e){for(this._$AP?.(!1,!0,e);t!==this._$AB;){let i=Lt(t).nextSibling;Lt(t).remove(),t=i}}setConnected(t){this._$AM===void 0&&(this._$Cv=t,this._$AP?.(t))}},L=class{get tagName(){return this.element.tagName}get _$AU(){return this._$AM._$AU}constructor(t,e,i,o,n){this.type=1,this._$AH=d,this._$AN=void 0,this.element=t,this.name=e,this._$AM=o,this.options=n,i.length>2||i[0]!==""||i[1]!==""?(this._$AH=Array(i.length-1).fill(new String),this.strings=i):this._$AH=d}_$AI(t,e=this,i,o){let n=this.strings,r=!1;if(n===void 0)t=C(this,t,e,0),r=!P(t)||t!==this._$AH&&t!==S,r&&(this._$AH=t);else{let a=t,l,p;for(t=n[0],l=0;l<n.length-1;l++)p=C(this,a[i+l],e,l),p===S&&(p=this._$AH[l]),r||=!P(p)||p!==this._$AH[l],p===d?t=d:t!==d&&(t+=(p??"")+n[l+1]),this._$AH[l]=p}r&&!o&&this.j(t)}j(t){t===d?this.element.removeAttribute(this.name):this.element.setAttribute(this.name,t??"")}},at=class extends L{constructor(){super(...arguments),this.type=3}j(t){this.element[this.name]=t===d?void 0:t}},lt=class extends L{constructor(){super(...arguments),this.type=4}j(t){this.element.toggleAttribute(this.name,!!t&&t!==d)}},ct=class extends L{constructor(t,e,i,o,n){super(t,e,i,o,n),this.type=5}_$AI(t,e=this){if((t=C(this,t,e,0)??d)===S)return;let i=this._$AH,o=t===d&&i!==d||t.capture!==i.capture||t.once!==i.once||t.passive!==i.passive,n=t!==d&&(i===d||o);o&&this.element.removeEventListener(this.name,this,i),n&&this.element.addEventListener(this.name,this,t),this._$AH=t}handleEvent(t){typeof this._$AH=="function"?this._$AH.call(this.options?.host??this.element,t):this._$AH.handleEvent(t)}},ht=class{constructor(t,e,i){this.element=t,this.type=6,this._$AN=void 0,this._$AM=e,this.options=i}get _$AU(){return this._$AM._$AU}_$AI(t){C(this,t)}};var ye=dt.litHtmlPolyfillSupport;ye?.(U,D),(dt.litHtmlVersions??=[]).push("3.3.3");var Ht=(s,t,e)=>{let i=e?.renderBefore??t,o=i._$litPart$;if(o===void 0){let n=e?.renderBefore??null;i._$litPart$=o=new D(t.insertBefore(N(),n),n,void 0,e??{})}return o._$AI(s),o};var ft=globalThis,v=class extends _{constructor(){super(...arguments),this.renderOptions={host:this},this._$Do=void 0}createRenderRoot(){let t=super.createRenderRoot();return this.renderOptions.renderBefore??=t.firstChild,t}update(t){let e=this.render();this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),super.update(t),this._$Do=Ht(e,this.renderRoot,this.renderOptions)}connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}render(){return S}};v._$litElement$=!0,v.finalized=!0,ft.litElementHydrateSupport?.({LitElement:v});var we=ft.litElementPolyfillSupport;we?.({LitElement:v});(ft.litElementVersions??=[]).push("4.2.2");var k=null;function xe(s){if(!s||!Array.isArray(s.actions)||!Array.isArray(s.names))throw new Error("malformed catalog");let t=[],e=[],i=new Set;for(let o of s.actions){if(!Array.isArray(o)||o.length<6)continue;let[n,r,a,l,p,f]=o,c=String(p??""),m=String(f??"");t.push({input:n,index:r,subindex:a,specific:l,category:c,description:m,code:`${n}/${r}/${a}/${l}`,haystack:zt(`${m} ${c} ${n}/${r}/${a}/${l}`)}),i.has(c)||(i.add(c),e.push(c))}return{actions:t,categories:e,names:s.names.map(String)}}function zt(s){return String(s).toLowerCase().replace(/[^\p{L}\p{N}/]+/gu," ").trim()}function Ft(s,t,e="",i=50){let o=zt(t).split(" ").filter(Boolean),n=[],r=0;for(let a of s.actions)e&&a.category!==e||o.every(l=>a.haystack.includes(l))&&(r+=1,n.length<i&&n.push(a));return{matches:n,total:r}}function Bt(s){if(k&&k.connection===s)return k.promise;let t={connection:s};return t.promise=new Promise((e,i)=>{let o=()=>{s.removeEventListener("disconnected",o),i(new Error("connection lost while loading the catalog"))};s.addEventListener("disconnected",o),s.sendMessagePromise({type:"furby_connect/catalog"}).then(n=>{s.removeEventListener("disconnected",o);try{e(xe(n))}catch(r){i(r)}},n=>{s.removeEventListener("disconnected",o),i(n)})}),t.promise.catch(()=>{k===t&&(k=null)}),k=t,t.promise}var G="furby-connect-card",A="furby_connect";function gt(s){if(!s||typeof s!="object")throw new Error("Invalid configuration");let{device_id:t,title:e,show_log:i=!0,log_rows:o}=s;if(typeof t!="string"||t.trim()==="")throw new Error("device_id is required: pick the Furby in the card editor");if(e!=null&&typeof e!="string")throw new Error("title must be text");if(typeof i!="boolean")throw new Error("show_log must be true or false");let n=o==null||o===""?200:Number(o);if(!Number.isInteger(n)||n<10||n>2e3)throw new Error("log_rows must be a whole number from 10 to 2000");return{...s,device_id:t.trim(),show_log:i,log_rows:n}}function Se(s,t){return(s&&s.entities?Object.values(s.entities):[]).filter(i=>i&&i.device_id===t&&i.platform===A)}function Wt(s,t){let e=Se(s,t).filter(o=>o.entity_id.startsWith("switch.")),i=e.find(o=>o.translation_key==="eyes")??e.find(o=>o.entity_id.endsWith("_eyes"));return i?i.entity_id:null}function Vt(s){let e=(s&&s.entities?Object.values(s.entities):[]).find(i=>i&&i.platform===A&&i.device_id);return{type:`custom:${G}`,device_id:e?e.device_id:""}}var Ae={device_id:"Furby",title:"Title (optional)",show_log:"Show the live log",log_rows:"Log rows kept on screen"},Ee={log_rows:"10-2000; the download holds more"};function jt(){return{schema:[{name:"device_id",required:!0,selector:{device:{filter:{integration:A}}}},{name:"title",selector:{text:{}}},{type:"grid",name:"",schema:[{name:"show_log",selector:{boolean:{}}},{name:"log_rows",selector:{number:{min:10,max:2e3,step:10,mode:"box"}}}]}],computeLabel:s=>Ae[s.name],computeHelper:s=>Ee[s.name],assertConfig:s=>{gt(s)}}}function qt(s,t){let e=window.customElements;e.get(s)||e.define(s,t);let i=0,o=setInterval(()=>{i+=200;let n=window.customElements;n!==e?(n.get(s)||n.define(s,class extends t{}),clearInterval(o)):i>=6e4&&clearInterval(o)},200)}function Gt(s){window.customCards=window.customCards||[],window.customCards.some(t=>t&&t.type===s.type)||window.customCards.push(s)}var K=class{constructor({base:t=1e3,cap:e=3e4,random:i=Math.random}={}){if(!(t>0)||!(e>=t))throw new RangeError("need 0 < base <= cap");this.base=t,this.cap=e,this.random=i,this.failures=0}window(){return Math.min(this.cap,this.base*2**Math.min(this.failures,30))}next(){let t=this.random()*this.window();return this.failures+=1,t}reset(){this.failures=0}};var g=Object.freeze({IDLE:"idle",OFFLINE:"offline",SUBSCRIBING:"subscribing",LIVE:"live",RETRYING:"retrying"}),I=class{constructor({message:t,onEvent:e,onState:i=()=>{},backoff:o=new K}){this.message=t,this.onEvent=e,this.onState=i,this.backoff=o,this.connection=null,this.generation=0,this.epoch=0,this.unsub=null,this.inFlight=!1,this.timer=null,this.state=g.IDLE,this.running=!1}start(t){this.running&&t===this.connection||(this.running&&this.stop(),this.running=!0,this.connection=t,this.backoff.reset(),this.attempt())}stop(){this.running=!1,this.clearTimer(),this.generation+=1,this.inFlight=!1;let t=this.unsub;this.unsub=null,t&&mt(t),this.connection=null,this.setState(g.IDLE)}restart(){if(!this.running)return;this.clearTimer(),this.generation+=1,this.inFlight=!1;let t=this.unsub;this.unsub=null,t&&mt(t),this.retryLater(null)}connectionLost(){this.running&&(this.clearTimer(),this.generation+=1,this.epoch+=1,this.inFlight=!1,this.unsub=null,this.setState(g.OFFLINE))}connectionReady(){!this.running||this.unsub||this.inFlight||this.timer||this.retryLater(null)}attempt(){if(this.timer=null,!this.running||this.unsub||this.inFlight)return;let t=this.connection;if(!t||!t.connected){this.setState(g.OFFLINE);return}this.generation+=1;let e=this.generation,i=this.epoch;this.inFlight=!0,this.setState(g.SUBSCRIBING);let o;try{o=t.subscribeMessage(n=>{e===this.generation&&this.onEvent(n)},this.message,{resubscribe:!1})}catch(n){o=Promise.reject(n)}Promise.resolve(o).then(n=>{if(e!==this.generation){i===this.epoch&&t.connected&&mt(n);return}this.inFlight=!1,this.unsub=n,this.backoff.reset(),this.setState(g.LIVE)},n=>{e===this.generation&&(this.inFlight=!1,this.retryLater(n))})}retryLater(t){this.clearTimer();let e=this.backoff.next();this.timer=setTimeout(()=>this.attempt(),e),this.setState(g.RETRYING,{delay:e,error:t})}clearTimer(){this.timer!==null&&clearTimeout(this.timer),this.timer=null}setState(t,e={}){this.state=t,this.onState(t,e)}};function mt(s){try{let t=s();t&&typeof t.catch=="function"&&t.catch(()=>{})}catch{}}var Ce="furby_connect/log/subscribe",Le="furby_connect/status/subscribe",Y=class{constructor({deviceId:t,onLog:e,onStatus:i,onState:o,withLog:n=!0}){this.connection=null,this.subs=[new I({message:{type:Le,device_id:t},onEvent:i,onState:(r,a)=>o("status",r,a)})],n&&this.subs.push(new I({message:{type:Ce,device_id:t},onEvent:e,onState:(r,a)=>o("log",r,a)})),this.onDisconnected=()=>{for(let r of this.subs)r.connectionLost()},this.onReady=()=>{for(let r of this.subs)r.connectionReady()}}bind(t){if(t!==this.connection){this.unbind(),this.connection=t,t.addEventListener("disconnected",this.onDisconnected),t.addEventListener("ready",this.onReady);for(let e of this.subs)e.start(t)}}restart(){for(let t of this.subs)t.restart()}unbind(){let t=this.connection;if(t){this.connection=null,t.removeEventListener("disconnected",this.onDisconnected),t.removeEventListener("ready",this.onReady);for(let e of this.subs)e.stop()}}};function X(s,t=2){return String(s).padStart(t,"0")}function Kt(s){if(typeof s!="number"||!Number.isFinite(s))return"--:--:--.---";let t=new Date(s*1e3);return`${X(t.getHours())}:${X(t.getMinutes())}:${X(t.getSeconds())}.${X(t.getMilliseconds(),3)}`}function _t(s){let t=s&&s.data;return!t||typeof t!="object"||typeof t.hex!="string"?"":t.characteristic?`${t.characteristic} ${t.hex}`:t.hex}function ke(s){return[Number.isFinite(s.time)?new Date(s.time*1e3).toISOString():"",s.level??"",s.kind??"",s.furby??"",s.text??"",_t(s)].join("	").replace(/[\r\n]+/g," ")}function Yt(s){return`${["time	level	kind	furby	text	bytes",...s.map(ke)].join(`
`)}
`}var bt=["debug","info","warning","error"];function $t(s){let t=bt.indexOf(s);return t===-1?1:t}var H=class{constructor(t){if(!Number.isInteger(t)||t<1)throw new RangeError("capacity must be >= 1");this.capacity=t,this.items=new Array(t),this.start=0,this.size=0,this.total=0}push(t){return this.total+=1,this.size<this.capacity?(this.items[(this.start+this.size)%this.capacity]=t,this.size+=1,!1):(this.items[this.start]=t,this.start=(this.start+1)%this.capacity,!0)}at(t){if(!(t<0||t>=this.size))return this.items[(this.start+t)%this.capacity]}last(){return this.at(this.size-1)}tail(t){let e=Math.max(0,Math.min(t,this.size)),i=new Array(e);for(let o=0;o<e;o+=1)i[o]=this.at(this.size-e+o);return i}tailMatching(t,e){let i=[];for(let o=this.size-1;o>=0&&i.length<t;o-=1){let n=this.at(o);e(n)&&i.push(n)}return i.reverse()}toArray(){return this.tail(this.size)}clear(){this.items=new Array(this.capacity),this.start=0,this.size=0}};function Xt(s,t){if(!Array.isArray(t)||t.length===0)return{entries:[],missed:0,restarted:!1};if(s===void 0)return{entries:t.slice(),missed:0,restarted:!1};let e=t[0].seq;return t[t.length-1].seq<s?{entries:t.slice(),missed:0,restarted:!0}:e>s+1?{entries:t.slice(),missed:e-s-1,restarted:!1}:{entries:t.filter(o=>o.seq>s),missed:0,restarted:!1}}function Oe(s){return Math.max(1e3,2*s)}var Q=class{constructor(t){this.maxRows=t,this.buffer=new H(Oe(t)),this.view=new H(t),this.minLevel="debug",this.paused=!1,this.pending=0,this.rebuild=!0,this.lastSeq=void 0}push(t){for(let e of t)this.buffer.push(e),typeof e.seq=="number"&&(this.lastSeq=e.seq);this.pending+=t.length}backlog(t){let{entries:e,missed:i,restarted:o}=Xt(this.lastSeq,t);i>0&&this.marker(`${i} log entries were missed while disconnected`),o&&this.marker("Home Assistant restarted: the log starts again"),this.push(e)}dropped(t){this.marker(`${t} log entries dropped: the card could not keep up`)}marker(t){this.push([{time:Date.now()/1e3,level:"warning",kind:"gap",text:t,data:null}])}setFilter(t){this.minLevel=t,this.rebuild=!0}setPaused(t){this.paused=t,t||(this.rebuild=!0)}clear(){this.buffer.clear(),this.pending=0,this.rebuild=!0}takeFrame(){if(this.paused)return{changed:!1,trimmed:0,rebuilt:!1};let t=$t(this.minLevel),e=r=>$t(r.level)>=t;if(this.rebuild){this.view.clear();for(let r of this.buffer.tailMatching(this.maxRows,e))this.view.push(r);return this.rebuild=!1,this.pending=0,{changed:!0,trimmed:0,rebuilt:!0}}if(this.pending===0)return{changed:!1,trimmed:0,rebuilt:!1};let i=this.buffer.tail(Math.min(this.pending,this.buffer.size)).filter(e),o=Math.max(0,i.length-this.maxRows),n=0;for(let r=o;r<i.length;r+=1)this.view.push(i[r])&&(n+=1);return this.pending=0,{changed:i.length>0,trimmed:n,rebuilt:!1}}newWhilePaused(){return this.paused?this.pending:0}downloadText(){return Yt(this.buffer.toArray())}};var E=18;function Re(s,t,e,i){let o=Math.max(0,s*E-t),n=i?o:Math.max(0,Math.min(e,o)),r=Math.floor(n/E),a=Math.max(0,Math.min(s-r,Math.ceil(t/E)+1));return{top:n,first:r,count:a,maxTop:o}}var J=class{constructor({maxRows:t,onChange:e=()=>{},raf:i,caf:o}){this.model=new Q(t),this.onChange=e,this.raf=i??(n=>requestAnimationFrame(n)),this.caf=o??(n=>cancelAnimationFrame(n)),this.frame=0,this.container=null,this.rows=[],this.stick=!0,this.scrollTop=0,this.height=0,this.dirty=!0}attach(t){t!==this.container&&(this.container&&(this.container.removeEventListener("scroll",this.onScroll),this.resize?.disconnect()),this.container=t,this.rows=[],t&&(this.spacer=document.createElement("div"),this.spacer.className="spacer",this.spacer.setAttribute("role","presentation"),this.window=document.createElement("div"),this.window.className="window",this.window.setAttribute("role","presentation"),this.spacer.append(this.window),t.replaceChildren(this.spacer),this.stick=!0,this.height=t.clientHeight,this.onScroll=()=>{this.scrollTop=t.scrollTop,this.stick=this.scrollTop>=this.model.view.size*E-this.height-4,this.dirty=!0,this.schedule()},t.addEventListener("scroll",this.onScroll,{passive:!0}),typeof ResizeObserver=="function"&&(this.resize=new ResizeObserver(e=>{this.height=e[e.length-1].contentRect.height,this.dirty=!0,this.schedule()}),this.resize.observe(t)),this.dirty=!0,this.schedule()))}push(t){this.model.push(t),this.schedule()}backlog(t){this.model.backlog(t),this.schedule()}dropped(t){this.model.dropped(t),this.schedule()}setFilter(t){this.model.setFilter(t),this.schedule()}setPaused(t){this.model.setPaused(t),this.schedule()}clear(){this.model.clear(),this.schedule()}downloadText(){return this.model.downloadText()}stats(){return{rows:this.model.view.size,buffered:this.model.buffer.size,newWhilePaused:this.model.newWhilePaused()}}schedule(){this.frame||!this.container||(this.frame=this.raf(()=>{this.frame=0,this.render()}))}cancel(){this.frame&&this.caf(this.frame),this.frame=0}render(){let t=this.container;if(!t)return;let{changed:e,trimmed:i}=this.model.takeFrame();if(e||this.dirty){this.dirty=!1;let o=this.model.view;!this.stick&&i>0&&(this.scrollTop-=i*E);let{top:n,first:r,count:a}=Re(o.size,this.height,this.scrollTop,this.stick);Qt(this.spacer,"height",`${o.size*E}px`),Qt(this.window,"transform",`translateY(${r*E}px)`),this.fillRows(r,a),(n!==this.scrollTop||t.scrollTop!==n)&&(this.scrollTop=n,t.scrollTop=n)}this.onChange(this.stats())}fillRows(t,e){if(this.rows.length<e){let o=document.createDocumentFragment();for(;this.rows.length<e;){let n=Me();this.rows.push(n),o.append(n)}this.window.append(o)}else if(this.rows.length>e)for(let o of this.rows.splice(e))o.remove();let i=this.model.view;for(let o=0;o<e;o+=1)Ne(this.rows[o],i.at(t+o))}};function Qt(s,t,e){s.style[t]!==e&&(s.style[t]=e)}var Te=["t","l","k","x","h"];function Me(){let s=document.createElement("div");s.setAttribute("role","listitem");for(let t of Te){let e=document.createElement("span");e.className=t,s.append(e)}return s}function Ne(s,t){if(s.entry===t)return;s.entry=t;let e=typeof t.level=="string"?t.level:"info";s.className=`row ${e}`;let i=[Kt(t.time),e,t.kind??"",t.text??"",_t(t)],o=s.children;for(let n=0;n<i.length;n+=1)o[n].textContent!==i[n]&&(o[n].textContent=i[n])}var vt=new Set(["done","failed","cancelled"]);function Jt(s){return s?s.size===0?`${s.name} is empty.`:s.size>16777215?`${s.name} is larger than a DLC can be (16 MiB).`:null:"No file chosen."}async function Zt(s,t,e){let i=new FormData;i.append("file",t);let o=await s.fetchWithAuth("/api/file_upload",{method:"POST",body:i,signal:e});if(o.status===413)throw new Error(`${t.name} is too large for Home Assistant's upload.`);if(!o.ok)throw new Error(`Home Assistant refused the file (HTTP ${o.status}).`);let n=await o.json();if(!n||typeof n.file_id!="string")throw new Error("Home Assistant returned no file id.");return n.file_id}function Z(s){return typeof s!="number"||!Number.isFinite(s)||s<0?"–":s<1e3?`${Math.round(s)} B`:s<1e6?`${(s/1e3).toFixed(1)} kB`:`${(s/1e6).toFixed(2)} MB`}function te(s){return typeof s!="number"||!Number.isFinite(s)?"–":`${Z(s)}/s`}function ee(s){if(typeof s!="number"||!Number.isFinite(s)||s<0)return"–";let t=Math.round(s);return t<60?`${t} s`:t<3600?`${Math.floor(t/60)} min ${String(t%60).padStart(2,"0")} s`:`${Math.floor(t/3600)} h ${String(Math.floor(t%3600/60)).padStart(2,"0")} min`}var Pe=["excitedness","displeasedness","tiredness","fullness","wellness"],Ue=[["giggle","Giggle"],["puke","Puke"],["hiccup","Hiccup"],["beatboxing","Beatbox"],["hey_hey","Hey hey"]],De=30;function z(s){if(s==null||s==="")return"–";let t=String(s).replace(/_/g," ");return t.charAt(0).toUpperCase()+t.slice(1)}function Ie(s){return typeof s!="number"?"":new Date(s*1e3).toLocaleTimeString()}function yt(s){return!Array.isArray(s)||s.length!==3?"#000000":`#${s.map(t=>Math.max(0,Math.min(255,t|0)).toString(16).padStart(2,"0")).join("")}`}function se(s){let t=s._status;if(!t)return h`<section class="status"><p class="hint">${s._gone?"This Furby is not set up (or was removed).":"Waiting for the Furby's status…"}</p></section>`;let e=t.last_interaction,i=!t.antenna||t.antenna.every(o=>o===0);return h`<section class="status" aria-label="Status">
    <dl class="facts">
      <div><dt>Bluetooth</dt><dd>${t.connected?"Connected":t.available?"Not connected":"Unavailable"}</dd></div>
      <div><dt>Orientation</dt><dd>${z(t.orientation)}</dd></div>
      <div><dt>Last interaction</dt><dd>${e?h`${z(e.type)} <span class="hint">${Ie(e.time)}</span>`:"–"}</dd></div>
      <div><dt>Eyes</dt><dd>${t.eyes_on===null||t.eyes_on===void 0?"–":t.eyes_on?"On":"Off"}</dd></div>
      <div><dt>Antenna</dt><dd>${t.antenna?h`<span class="swatch" style="background:${yt(t.antenna)}"></span>${i?"Off":yt(t.antenna)}`:"–"}</dd></div>
      <div><dt>Name</dt><dd>${t.furby_name??"–"}</dd></div>
      <div><dt>Active slot</dt><dd>${t.active_slot??"–"}${t.filled_slots&&t.filled_slots.length?h` <span class="hint">(${t.filled_slots.length} filled)</span>`:d}</dd></div>
    </dl>
  </section>`}function ie(s){let t=s._status,e=!t,i=s._catalog?s._catalog.names:[],o=s._nameChoice??t?.name_id??0,n=t?.eyes_on===!0;return h`<section class="controls-section" aria-label="Controls">
    <h3>Controls</h3>
    <div class="controls">
      <div class="field">
        <label for="antenna">Antenna colour</label>
        <input id="antenna" type="color" .value=${yt(t?.antenna)} ?disabled=${e} @change=${s._onAntenna} />
        <button ?disabled=${e} @click=${s._onAntennaOff}>Antenna off</button>
      </div>
      <div class="field">
        <span class="label" id="eyes-label">Eyes</span>
        <button id="eyes" role="switch" aria-labelledby="eyes-label" aria-checked=${n?"true":"false"}
          ?disabled=${e||!s._eyesEntity} title=${s._eyesEntity?"":"The eyes switch entity was not found"}
          @click=${s._onEyes}>${n?"On":"Off"}</button>
      </div>
      <div class="field">
        <label for="name">Name</label>
        <select id="name" ?disabled=${e||i.length===0} @change=${s._onNameChoice}>
          ${i.map((r,a)=>h`<option value=${a} ?selected=${a===o}>${r}</option>`)}
        </select>
        <button ?disabled=${e||i.length===0} aria-label="Set name" @click=${s._onSetName}>Set</button>
      </div>
    </div>
    <div class="moods" role="group" aria-label="Moods">
      ${Pe.map(r=>{let a=s._moodDraft[r]??t?.moods?.[r]??null;return h`<label for="mood-${r}">${z(r)}</label>
          <input id="mood-${r}" type="range" min="0" max="100" step="1" .value=${String(a??50)}
            ?disabled=${e} @input=${l=>s._onMoodInput(r,l)} @change=${l=>s._onMoodChange(r,l)} />
          <output for="mood-${r}">${a??"–"}</output>`})}
    </div>
  </section>`}function He(s,t,e,i){let o=s._lastSearch;if(o&&o.catalog===t&&o.query===e&&o.category===i)return o.found;let n=Ft(t,e,i,De);return s._lastSearch={catalog:t,query:e,category:i,found:n},n}function oe(s){let t=!s._status,e=s._catalog,i=e?He(s,e,s._query,s._category):null;return h`<section class="actions" aria-label="Actions">
    <h3>Actions</h3>
    <div class="row-of-buttons">
      ${Ue.map(([o,n])=>h`<button ?disabled=${t} @click=${()=>s._trigger({action:o},n)}>${n}</button>`)}
    </div>
    <div class="search">
      <div>
        <label for="action-search">Search the ${e?e.actions.length.toLocaleString("en"):""} actions</label>
        <input id="action-search" type="search" placeholder="laugh, sing, 55/2/14…" .value=${s._query} @input=${s._onQuery} ?disabled=${!e} />
      </div>
      <div>
        <label for="action-category">Category</label>
        <select id="action-category" @change=${s._onCategory} ?disabled=${!e}>
          <option value="" ?selected=${!s._category}>All categories</option>
          ${e?e.categories.map(o=>h`<option value=${o} ?selected=${o===s._category}>${o}</option>`):d}
        </select>
      </div>
    </div>
    ${e?h`<p class="hint" role="status">${ze(i)}</p>
          <ul class="results" aria-label="Matching actions">
            ${i.matches.map(o=>h`<li>
              <span class="what">${o.description}<span class="meta">${o.category} · ${o.code}</span></span>
              <button ?disabled=${t} aria-label=${`Play ${o.description} (${o.code})`}
                @click=${()=>s._trigger({input:o.input,index:o.index,subindex:o.subindex,specific:o.specific},o.description)}>Play</button>
            </li>`)}
          </ul>`:h`<p class="hint">${s._catalogError?`Catalog not loaded: ${s._catalogError}`:"Loading the catalog…"}</p>`}
  </section>`}function ze({total:s,matches:t}){if(s===0)return"No action matches.";let e=s===1?"1 action matches":`${s.toLocaleString("en")} actions match`;return s>t.length?`${e}; the first ${t.length} are listed.`:`${e}.`}function ne(s){let t=s._status?.upload??null,e=s._uploader,i=e.sending,o=i||t&&!vt.has(t.phase),n=!s.hass?.user||s.hass.user.is_admin!==!1,r=!s._status||!n;return h`<section class="upload" aria-label="DLC upload">
    <h3>DLC upload</h3>
    ${o?Fe(s,i,t):h`
      <div class="drop ${e.dragOver?"over":""}" @dragover=${e.onDragOver} @dragleave=${e.onDragLeave} @drop=${e.onDrop}>
        <label for="dlc-file">Choose a DLC file, or drop one here</label>
        <input id="dlc-file" type="file" accept=".dlc,application/octet-stream" ?disabled=${r} @change=${e.onFileChosen} />
        <label><input id="dlc-activate" type="checkbox" .checked=${e.activate} @change=${e.onActivate} ?disabled=${r} /> Activate when done</label>
      </div>
      ${n?d:h`<p class="hint">Uploads need an administrator account.</p>`}
      ${t&&vt.has(t.phase)?Be(t):d}`}
    ${e.error?h`<p class="error-text" role="alert">${e.error}</p>`:d}
  </section>`}function Fe(s,t,e){if(t)return h`<div class="progress">
      <p>${t.filename}: sending to Home Assistant…</p>
      <progress aria-label="Upload progress"></progress>
      <button @click=${s._uploader.onCancel}>Cancel upload</button>
    </div>`;let i=typeof e.percent=="number"?e.percent:0;return h`<div class="progress">
    <p>${e.filename}: ${z(e.phase)}${e.message?h` <span class="hint">${e.message}</span>`:d}</p>
    <progress aria-label="Upload progress" max="100" .value=${i}></progress>
    <p class="figures">${i.toFixed(1)} % · ${Z(e.bytes_sent)} of ${Z(e.total_bytes)} · ${te(e.rate)} · ${ee(e.eta)} left</p>
    <button @click=${s._uploader.onCancel}>Cancel upload</button>
  </div>`}function Be(s){return s.phase==="done"?h`<p class="hint">${s.filename} uploaded${s.slot!==null&&s.slot!==void 0?` to slot ${s.slot}`:""}.</p>`:s.phase==="cancelled"?h`<p class="hint">${s.filename}: upload cancelled.</p>`:h`<p class="error-text">${s.filename}: upload failed${s.error?`: ${s.error}`:""}.</p>`}function re(s){let t=s._logStats;return h`<section class="log-section" aria-label="Live log">
    <div class="log-toolbar">
      <h3 id="log-title">Live log</h3>
      <label for="log-level" class="visually-hidden">Lowest level shown</label>
      <select id="log-level" @change=${s._onLevel}>
        ${bt.map(e=>h`<option value=${e} ?selected=${e===s._minLevel}>${z(e)}${e==="error"?"":" and up"}</option>`)}
      </select>
      <button aria-pressed=${s._paused?"true":"false"} @click=${s._onPause}>${s._paused?"Resume":"Pause"}</button>
      <button @click=${s._onClear}>Clear</button>
      <button @click=${s._onDownload}>Download</button>
      <span class="stats">${t.rows} rows${s._paused?` · ${t.newWhilePaused} new while paused`:""}</span>
    </div>
    <div class="log" role="list" aria-labelledby="log-title" tabindex="0"></div>
  </section>`}var ae=st`
  :host {
    display: block;
    --fc-gap: 12px;
    --fc-muted: var(--secondary-text-color, #727272);
    --fc-line: var(--divider-color, rgba(0, 0, 0, 0.12));
    --fc-field: var(--secondary-background-color, #f0f0f0);
    --fc-accent: var(--primary-color, #03a9f4);
    --fc-on-accent: var(--text-primary-color, #fff);
    --fc-mono: var(--code-font-family, ui-monospace, "Roboto Mono", Menlo, Consolas, monospace);
    color-scheme: light;
  }
  :host([dark-mode]) {
    color-scheme: dark;
  }
  ha-card {
    display: block;
    overflow: hidden;
    color: var(--primary-text-color, #212121);
  }
  .header {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 16px 16px 0;
  }
  h2 {
    flex: 1;
    margin: 0;
    font-size: var(--ha-card-header-font-size, 1.5rem);
    font-weight: 400;
    line-height: 1.3;
    overflow-wrap: anywhere;
  }
  h3 {
    margin: 0 0 8px;
    font-size: 1rem;
    font-weight: 500;
  }
  section {
    padding: var(--fc-gap) 16px;
    border-top: 1px solid var(--fc-line);
  }
  section:first-of-type {
    border-top: none;
  }
  .badge {
    flex: none;
    padding: 2px 10px;
    border-radius: 12px;
    font-size: 0.85rem;
    background: var(--fc-field);
    color: var(--fc-muted);
  }
  .badge.connected {
    background: var(--success-color, #43a047);
    color: #fff;
  }
  .badge.unavailable {
    background: var(--error-color, #db4437);
    color: #fff;
  }
  .feed {
    margin: 8px 16px 0;
    padding: 6px 10px;
    border-radius: 8px;
    background: var(--fc-field);
    color: var(--fc-muted);
    font-size: 0.9rem;
  }
  .feed.error {
    color: var(--error-color, #db4437);
  }
  .facts {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(140px, 1fr));
    gap: 8px var(--fc-gap);
    margin: 0;
  }
  .facts div {
    min-width: 0;
  }
  dt {
    font-size: 0.8rem;
    color: var(--fc-muted);
  }
  dd {
    margin: 2px 0 0;
    overflow-wrap: anywhere;
  }
  .swatch {
    display: inline-block;
    width: 0.9em;
    height: 0.9em;
    margin-right: 6px;
    border: 1px solid var(--fc-line);
    border-radius: 50%;
    vertical-align: -0.1em;
  }
  .controls {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(220px, 1fr));
    gap: var(--fc-gap);
  }
  .field {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 8px;
  }
  .field > label:first-child,
  .field > .label {
    flex: 1 0 100%;
    font-size: 0.85rem;
    color: var(--fc-muted);
  }
  .moods {
    margin-top: var(--fc-gap);
    display: grid;
    grid-template-columns: minmax(90px, auto) 1fr 3ch;
    align-items: center;
    gap: 4px 8px;
  }
  .moods label {
    font-size: 0.9rem;
  }
  .moods output {
    text-align: right;
    font-variant-numeric: tabular-nums;
  }
  input[type="range"] {
    width: 100%;
    min-width: 0;
    accent-color: var(--fc-accent);
  }
  input[type="checkbox"] {
    accent-color: var(--fc-accent);
  }
  button,
  select,
  input[type="search"],
  input[type="color"] {
    font: inherit;
    color: inherit;
    min-height: 36px;
    border-radius: 8px;
    border: 1px solid var(--fc-line);
    background: var(--fc-field);
  }
  select,
  input[type="search"] {
    padding: 0 8px;
    min-width: 0;
  }
  input[type="color"] {
    width: 48px;
    padding: 2px;
  }
  button {
    padding: 0 14px;
    cursor: pointer;
  }
  button.primary,
  button[aria-checked="true"] {
    background: var(--fc-accent);
    border-color: var(--fc-accent);
    color: var(--fc-on-accent);
  }
  button:disabled,
  select:disabled,
  input:disabled {
    opacity: 0.5;
    cursor: default;
  }
  :is(button, select, input, .log, .drop):focus-visible {
    outline: 2px solid var(--fc-accent);
    outline-offset: 2px;
  }
  .row-of-buttons {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  .search {
    display: grid;
    grid-template-columns: 1fr minmax(0, 14em);
    gap: 8px;
    margin-top: var(--fc-gap);
  }
  .search label {
    display: block;
    font-size: 0.85rem;
    color: var(--fc-muted);
    margin-bottom: 2px;
  }
  .search input,
  .search select {
    width: 100%;
    box-sizing: border-box;
  }
  .hint {
    margin: 6px 0;
    font-size: 0.85rem;
    color: var(--fc-muted);
  }
  .results {
    list-style: none;
    margin: 0;
    padding: 0;
    max-height: 240px;
    overflow-y: auto;
    border: 1px solid var(--fc-line);
    border-radius: 8px;
  }
  .results li {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 4px 8px;
    border-top: 1px solid var(--fc-line);
  }
  .results li:first-child {
    border-top: none;
  }
  .results .what {
    flex: 1;
    min-width: 0;
    overflow-wrap: anywhere;
  }
  .results .meta {
    display: block;
    font-size: 0.8rem;
    color: var(--fc-muted);
  }
  .results button {
    flex: none;
  }
  .drop {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px 12px;
    padding: 12px;
    border: 2px dashed var(--fc-line);
    border-radius: 8px;
  }
  .drop.over {
    border-color: var(--fc-accent);
    background: var(--fc-field);
  }
  .drop input[type="file"] {
    max-width: 100%;
  }
  progress {
    width: 100%;
    height: 12px;
    accent-color: var(--fc-accent);
  }
  .figures {
    font-size: 0.9rem;
    font-variant-numeric: tabular-nums;
    color: var(--fc-muted);
  }
  .error-text {
    color: var(--error-color, #db4437);
  }
  .log-toolbar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
    margin-bottom: 8px;
  }
  .log-toolbar h3 {
    margin: 0 4px 0 0;
  }
  .log-toolbar .stats {
    margin-left: auto;
    font-size: 0.85rem;
    color: var(--fc-muted);
  }
  .log {
    height: 260px;
    overflow-y: auto;
    contain: strict;
    font-family: var(--fc-mono);
    font-size: 12px;
    line-height: 18px;
    border: 1px solid var(--fc-line);
    border-radius: 8px;
    background: var(--primary-background-color, #fafafa);
  }
  .log .spacer {
    position: relative;
  }
  .log .window {
    position: absolute;
    top: 0;
    left: 0;
    right: 0;
    will-change: transform;
  }
  .log .row {
    display: flex;
    gap: 8px;
    height: 18px;
    padding: 0 8px;
    overflow: hidden;
    white-space: nowrap;
  }
  .log .row .h:empty {
    display: none;
  }
  .log .row span {
    flex: none;
  }
  .log .row .x {
    flex: 1 1 auto;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .log .row .l {
    width: 7ch;
    text-transform: uppercase;
  }
  .log .row .k {
    width: 10ch;
    color: var(--fc-muted);
  }
  .log .row .t,
  .log .row .h {
    color: var(--fc-muted);
  }
  .log .row.debug .l {
    color: var(--fc-muted);
  }
  .log .row.warning .l {
    color: var(--warning-color, #ffa600);
  }
  .log .row.error .l,
  .log .row.error .x {
    color: var(--error-color, #db4437);
  }
  .notice {
    min-height: 1.4em;
    padding: 0 16px 12px;
    font-size: 0.9rem;
    color: var(--fc-muted);
  }
  .notice.error {
    color: var(--error-color, #db4437);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  @media (max-width: 450px) {
    .header,
    section {
      padding-left: 12px;
      padding-right: 12px;
    }
    .search {
      grid-template-columns: 1fr;
    }
    .log .row .k,
    .log .row .h {
      display: none;
    }
  }
`;function O(s){return s?typeof s=="string"?s:s.message?s.message:s.code?String(s.code):String(s):"unknown error"}var tt=class{constructor(t){u(this,"onActivate",t=>this.set({activate:t.target.checked}));u(this,"onFileChosen",t=>{let e=t.target.files&&t.target.files[0];t.target.value="",e&&this.upload(e)});u(this,"onDragOver",t=>{t.preventDefault(),t.dataTransfer&&(t.dataTransfer.dropEffect="copy"),this.dragOver||this.set({dragOver:!0})});u(this,"onDragLeave",()=>this.set({dragOver:!1}));u(this,"onDrop",t=>{t.preventDefault(),this.set({dragOver:!1});let e=t.dataTransfer&&t.dataTransfer.files&&t.dataTransfer.files[0];e&&this.upload(e)});u(this,"onCancel",()=>{if(this.sending){this.sending.abort.abort();return}this.host._furby("cancel_upload",{},"Upload cancelled")});this.host=t,this.sending=null,this.error="",this.activate=!0,this.dragOver=!1}set(t){Object.assign(this,t),this.host.requestUpdate()}async upload(t){let{_hass:e,_config:i}=this.host,o=Jt(t)??(e.user&&e.user.is_admin===!1?"Uploads need an administrator account.":null)??(this.host._status?null:"The Furby's status has not arrived yet; try again in a moment.");if(this.set({error:o??""}),o||this.sending)return;let n=new AbortController;this.set({sending:{filename:t.name,abort:n}});try{let r=await Zt(e,t,n.signal);if(n.signal.aborted)throw new Error("aborted");await e.callService(A,"upload_dlc",{device_id:i.device_id,file_id:r,activate:this.activate}),this.host._notice={text:`Upload of ${t.name} started`,error:!1}}catch(r){this.error=n.signal.aborted?"Upload cancelled.":O(r)}finally{this.set({sending:null})}}};var F=class extends v{constructor(){super();u(this,"_onAntenna",e=>{let i=e.target.value,[o,n,r]=[1,3,5].map(a=>parseInt(i.slice(a,a+2),16));this._furby("set_antenna",{red:o,green:n,blue:r},`Antenna set to ${i}`)});u(this,"_onAntennaOff",()=>this._furby("set_antenna",{red:0,green:0,blue:0},"Antenna off"));u(this,"_onEyes",()=>{if(!this._eyesEntity)return;let e=this._status&&this._status.eyes_on===!0;this._call("switch",e?"turn_off":"turn_on",{entity_id:this._eyesEntity},e?"Eyes off":"Eyes on")});u(this,"_onNameChoice",e=>{this._nameChoice=Number(e.target.value)});u(this,"_onSetName",()=>{let e=this._nameChoice??(this._status&&this._status.name_id)??0,i=this._catalog?this._catalog.names[e]:String(e);this._furby("set_name",{name_id:e},`Name set to ${i}`)});u(this,"_onQuery",e=>{this._query=e.target.value});u(this,"_onCategory",e=>{this._category=e.target.value});u(this,"_onLevel",e=>{this._minLevel=e.target.value,this._logView&&this._logView.setFilter(this._minLevel)});u(this,"_onPause",()=>{this._paused=!this._paused,this._logView&&this._logView.setPaused(this._paused)});u(this,"_onClear",()=>{this._logView&&this._logView.clear()});u(this,"_onDownload",()=>{if(!this._logView)return;let e=new Blob([this._logView.downloadText()],{type:"text/tab-separated-values"}),i=URL.createObjectURL(e),o=document.createElement("a");o.href=i,o.download=`furby-log-${new Date().toISOString().replace(/[:.]/g,"-")}.tsv`,this.renderRoot.append(o),o.click(),o.remove(),setTimeout(()=>URL.revokeObjectURL(i),6e4)});this._config=null,this._hass=null,this._attached=!1,this._feed=null,this._logView=null,this._status=null,this._gone=!1,this._feedState={status:g.IDLE,log:g.IDLE,info:{}},this._catalog=null,this._catalogError="",this._query="",this._category="",this._nameChoice=null,this._moodDraft={},this._minLevel="debug",this._paused=!1,this._logStats={rows:0,buffered:0,newWhilePaused:0},this._notice=null,this._eyesEntity=null,this._eyesState=void 0,this._lastSearch=null,this._entitiesSeen=void 0,this._eyesLookup=null,this._uploader=new tt(this)}static getConfigForm(){return jt()}static getStubConfig(e){return Vt(e)}setConfig(e){let i=gt(e),o=this._config;this._config=i,o&&o.device_id===i.device_id&&o.show_log===i.show_log&&o.log_rows===i.log_rows||(this._teardown(),this._logView&&this._logView.attach(null),this._status=null,this._gone=!1,this._entitiesSeen=void 0,this._logView=i.show_log?new J({maxRows:i.log_rows,onChange:r=>this._onLogStats(r)}):null,this._bind(),this._hass&&(this.hass=this._hass)),this.requestUpdate()}set hass(e){let i=this._hass;if(this._hass=e,!e)return;e.themes&&this.toggleAttribute("dark-mode",!!e.themes.darkMode),this._bind(),e.entities!==this._entitiesSeen&&(this._entitiesSeen=e.entities,this._eyesLookup=this._config?Wt(e,this._config.device_id):null);let o=this._eyesLookup,n=o&&e.states?e.states[o]:void 0;(!i||o!==this._eyesEntity||n!==this._eyesState||i.user!==e.user)&&(this._eyesEntity=o,this._eyesState=n,this.requestUpdate())}get hass(){return this._hass}getCardSize(){return this._config&&this._config.show_log?16:10}getGridOptions(){return{columns:12,rows:"auto",min_columns:6,min_rows:6}}connectedCallback(){super.connectedCallback(),this._attached=!0,this._bind()}disconnectedCallback(){super.disconnectedCallback(),this._attached=!1,this._teardown()}_bind(){!this._attached||!this._config||!this._hass||!this._hass.connection||(this._feed||(this._feed=new Y({deviceId:this._config.device_id,withLog:this._config.show_log,onLog:e=>this._onLogEvent(e),onStatus:e=>this._onStatusEvent(e),onState:(e,i,o)=>this._onFeedState(e,i,o)})),this._feed.bind(this._hass.connection))}_teardown(){this._feed&&this._feed.unbind(),this._feed=null,this._logView&&this._logView.cancel()}_onFeedState(e,i,o){this._feedState={...this._feedState,[e]:i,info:i===g.LIVE?{}:o},e==="status"&&i===g.LIVE&&this._loadCatalog()}_loadCatalog(){this._catalog||!this._hass||Bt(this._hass.connection).then(e=>{this._catalog=e,this._catalogError=""},e=>{this._catalogError=O(e)})}_onStatusEvent(e){let i=this._config.device_id;if(e.type==="snapshot"){let o=(e.furbies||[]).find(n=>n.device_id===i)??null;this._status=o,this._gone=!o}else e.type==="update"&&e.furby&&e.furby.device_id===i?(this._status=e.furby,this._gone=!1):e.type==="removed"&&e.device_id===i&&(this._status=null,this._gone=!0,this._feed&&this._feed.restart())}_onLogStats(e){let i=this._logStats;(i.rows!==e.rows||i.newWhilePaused!==e.newWhilePaused)&&(this._logStats=e)}_onLogEvent(e){let i=this._logView;i&&(e.type==="backlog"?i.backlog(e.entries||[]):e.type==="entries"?i.push(e.entries||[]):e.type==="dropped"&&i.dropped(e.count))}updated(){if(this._logView){let e=this.renderRoot.querySelector(".log");e&&this._logView.attach(e)}}render(){if(!this._config)return d;let e=this._status,i=this._config.title||e&&e.name||"Furby",o=e?e.connected?["connected","Connected"]:e.available?["","Not connected"]:["unavailable","Unavailable"]:["","–"];return h`<ha-card>
      <div class="header">
        <h2>${i}</h2>
        <span class="badge ${o[0]}">${o[1]}</span>
      </div>
      ${this._feedNotice()}
      ${se(this)} ${ie(this)} ${oe(this)} ${ne(this)}
      ${this._config.show_log?re(this):d}
      <div class="notice ${this._notice&&this._notice.error?"error":""}" role="status" aria-live="polite">
        ${this._notice?this._notice.text:""}
      </div>
    </ha-card>`}_feedNotice(){let e=[this._feedState.status,...this._config.show_log?[this._feedState.log]:[]];if(e.every(r=>r===g.LIVE))return d;let i=this._feedState.info||{},o="Connecting to Home Assistant…",n=!1;if(e.includes(g.OFFLINE))o="Home Assistant is not reachable; waiting for it to come back…";else if(e.includes(g.RETRYING)){let r=i.error&&i.error.code,a=typeof i.delay=="number"?` Retrying in ${(i.delay/1e3).toFixed(1)} s.`:"";r==="unknown_command"?o=`Waiting for the Furby Connect integration to load.${a}`:r==="not_found"?(o=`This Furby is not loaded in Home Assistant.${a}`,n=!0):i.error?(o=`Live updates failed: ${O(i.error)}.${a}`,n=!0):o=`Reconnecting…${a}`}return h`<div class="feed ${n?"error":""}" role="status">${o}</div>`}async _call(e,i,o,n){try{return await this._hass.callService(e,i,o),this._notice={text:n,error:!1},!0}catch(r){return this._notice={text:O(r),error:!0},!1}}_furby(e,i,o){return this._call(A,e,{device_id:this._config.device_id,...i},o)}_trigger(e,i){return this._furby("trigger_action",e,`Sent: ${i}`)}_onMoodInput(e,i){this._moodDraft={...this._moodDraft,[e]:Number(i.target.value)}}async _onMoodChange(e,i){let o=Number(i.target.value);await this._furby("set_mood",{meter:e,value:o,mode:"set"},`${e} set to ${o}`);let{[e]:n,...r}=this._moodDraft;this._moodDraft=r}};u(F,"properties",{_status:{state:!0},_gone:{state:!0},_feedState:{state:!0},_catalog:{state:!0},_catalogError:{state:!0},_query:{state:!0},_category:{state:!0},_nameChoice:{state:!0},_moodDraft:{state:!0},_minLevel:{state:!0},_paused:{state:!0},_logStats:{state:!0},_notice:{state:!0}}),u(F,"styles",ae);qt(G,F);Gt({type:G,name:"Furby Connect",description:"A Furby Connect's status, controls, actions, DLC upload and live log.",preview:!1,documentationURL:"https://github.com/furby-connect/furby_connect#the-card"});export{F as FurbyConnectCard};
/*! Bundled license information:

@lit/reactive-element/css-tag.js:
  (**
   * @license
   * Copyright 2019 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

@lit/reactive-element/reactive-element.js:
lit-html/lit-html.js:
lit-element/lit-element.js:
  (**
   * @license
   * Copyright 2017 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

lit-html/is-server.js:
  (**
   * @license
   * Copyright 2022 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)
*/
